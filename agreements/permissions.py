"""Every role rule of Helhedsplan, defined once (django-rules).

Roles: a plan's **sekretariat** edits the plan and sends documents to the bestyrelse; its
**bestyrelse** reads, comments and approves; the **LBF** group (Landsbyggefonden) reads and exports
every plan; members of the **Planoprettere** group start new plans; **superusers** (administrators) may
do everything (Django grants an active superuser every
permission). Only staff users reach the admin (Django's own ``is_staff`` check).

Views ask ``request.user.has_perm(PERMISSION, obj)`` (or ``get_plan_access``), templates
``{% has_perm PERMISSION user obj as allowed %}`` or the ``PlanAccess`` properties that delegate here,
services ``require(user, PERMISSION, obj)``. The rules read the user's role on the plan once per
request where ``selectors.get_plan_for_user`` has read it already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Activity, AgreementParty, Contact, Organisation, Plan, PlanMembership, SubAgreementParty

User = AbstractBaseUser | AnonymousUser

LBF_GROUP = "LBF"
PLAN_CREATORS_GROUP = "Planoprettere"  # may start new plans (the group is created by a migration)

# Plan-scoped permissions (object: a Plan).
VIEW_PLAN = "plan.view"
EDIT_PLAN = "plan.edit"              # texts, activities, budget, milestones, settings
SUBMIT = "plan.submit"               # send a document to the bestyrelse
RETURN_TO_DRAFT = "plan.return"      # send a submitted document back to kladde
APPROVE = "plan.approve"             # record the bestyrelse's approval
COMMENT = "plan.comment"
RECORD_LBF_APPROVAL = "plan.record_lbf_approval"
EXPORT_PLAN = "plan.export"          # request an LBF-udtræk of the plan
ENTER_FOLLOWUP = "plan.enter_followup"  # annual indicator values
MANAGE_TEAM = "plan.manage_team"     # invite members, send invitations again, withdraw them, remove members
MANAGE_MEETINGS = "plan.manage_meetings"  # bestyrelsesmøder: create, edit, set the agenda
ADD_ATTACHMENT = "plan.add_attachment"        # upload an organisationsdiagram or a bilag
DELETE_ATTACHMENT = "plan.delete_attachment"  # delete one
# Not plan-scoped.
CREATE_PLAN = "plan.create"          # start a new helhedsplan (its creator joins its sekretariat)
LBF_OVERVIEW = "lbf.overview"        # every plan's status; export of several or all plans
VIEW_EXPORT = "lbf.view_export"      # object: an LBF-udtræk (its status page)
DOWNLOAD_EXPORT = "lbf.download_export"  # object: an LBF-udtræk
CREATE_SHARED = "shared.create"      # add organisations, contacts and clauses
EDIT_CLAUSE = "shared.edit_clause"   # object: a Clause
EDIT_PARTNER = "shared.edit_partner"  # object: an Organisation or a Contact
ADMIN_SITE = "site.admin"            # the link to Django's admin (which checks ``is_staff`` itself)

REFUSALS = {
    CREATE_PLAN: "Kun planoprettere kan oprette nye helhedsplaner.",
    EDIT_PLAN: "Kun planens sekretariat kan redigere.",
    SUBMIT: "Kun planens sekretariat kan sende dokumenter til bestyrelsen.",
    RETURN_TO_DRAFT: "Kun planens sekretariat og bestyrelse kan sende et dokument tilbage til kladde.",
    APPROVE: "Kun planens bestyrelse kan godkende.",
    COMMENT: "Kun planens sekretariat og bestyrelse kan skrive kommentarer.",
    RECORD_LBF_APPROVAL: "Kun planens sekretariat kan registrere LBF's godkendelse.",
    ENTER_FOLLOWUP: "Kun planens sekretariat kan indtaste opfølgning.",
    MANAGE_TEAM: "Kun planens sekretariat kan invitere og fjerne medlemmer.",
    MANAGE_MEETINGS: "Kun planens sekretariat kan oprette og redigere bestyrelsesmøder.",
    ADD_ATTACHMENT: "Kun planens sekretariat kan tilføje bilag.",
    DELETE_ATTACHMENT: "Kun planens sekretariat kan slette bilag.",
    LBF_OVERVIEW: "Oversigten er for Landsbyggefonden.",
    CREATE_SHARED: "Kun sekretariatsmedlemmer og planoprettere kan oprette organisationer, kontaktpersoner og "
                   "klausuler.",
    EDIT_CLAUSE: "Kun den, der har oprettet klausulen, kan redigere den.",
    EDIT_PARTNER: "Kun sekretariatet for en plan, der bruger den, kan redigere den.",
}


# --- Facts about the user --------------------------------------------------------------------------

def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def plan_role(user: User, plan: Plan) -> str | None:
    """The user's membership role on the plan, or None (read once per plan object and user)."""
    if not _active(user):
        return None
    viewer = getattr(plan, "_viewer", None)
    if viewer is not None and viewer[0] == user.pk:
        return viewer[1]
    return PlanMembership.objects.filter(user=user, plan=plan).values_list("role", flat=True).first()


def _remembered(user: User, key: str, read: Callable[[], Any]) -> Any:
    """A fact about the user, read once per user object, as Django's ModelBackend keeps the user's
    permissions (a request has its own user object, so a change shows from the next request on)."""
    facts = user.__dict__.setdefault("_role_facts", {})
    if key not in facts:
        facts[key] = read()
    return facts[key]


def _in_lbf_group(user: User) -> bool:
    return _active(user) and user.groups.filter(name=LBF_GROUP).exists()


@rules.predicate
def is_lbf(user: User) -> bool:
    """Member of Landsbyggefonden's group."""
    return _active(user) and _remembered(user, "lbf", lambda: _in_lbf_group(user))


@rules.predicate
def is_plan_creator(user: User) -> bool:
    """Member of the group that may start new plans."""
    return _active(user) and _remembered(
        user, "plan_creator", lambda: user.groups.filter(name=PLAN_CREATORS_GROUP).exists())


@rules.predicate
def is_admin(user: User) -> bool:
    return bool(_active(user) and user.is_superuser)


@rules.predicate
def is_secretariat(user: User, plan: Plan) -> bool:
    return plan_role(user, plan) == PlanMembership.Role.SECRETARIAT


@rules.predicate
def is_board(user: User, plan: Plan) -> bool:
    return plan_role(user, plan) == PlanMembership.Role.BOARD


@rules.predicate
def is_member(user: User, plan: Plan) -> bool:
    return plan_role(user, plan) is not None


@rules.predicate
def is_in_any_secretariat(user: User) -> bool:
    return _active(user) and _remembered(user, "secretariat", lambda: PlanMembership.objects.filter(
        user=user, role=PlanMembership.Role.SECRETARIAT).exists())


@rules.predicate
def requested_export(user: User, export: Any) -> bool:
    return _active(user) and export.requested_by_id == user.pk


@rules.predicate
def may_download_export(user: User, export: Any) -> bool:
    """The requester, while they may still see every plan in it: an export of all plans needs LBF."""
    if not _active(user) or export.requested_by_id != user.pk:
        return False
    if not export.plan_slugs:
        return is_lbf(user)
    visible = _remembered(user, "visible_slugs",
                          lambda: set(plans_visible_to(user).values_list("slug", flat=True)))
    return set(export.plan_slugs) <= visible


@rules.predicate
def created_clause(user: User, clause: Any) -> bool:
    return _active(user) and clause.created_by_id == user.pk


@rules.predicate
def may_edit_partner(user: User, partner: Organisation | Contact) -> bool:
    """Shared organisations and contacts: the secretariat of a plan that uses them, or their creator
    while no plan uses them."""
    if not _active(user):
        return False
    using = plans_using(partner)
    if using.exists():
        return using.filter(memberships__user=user, memberships__role=PlanMembership.Role.SECRETARIAT).exists()
    return partner.created_by_id == user.pk


can_see_plan = is_member | is_lbf

rules.add_perm(VIEW_PLAN, can_see_plan)
rules.add_perm(EDIT_PLAN, is_secretariat)
rules.add_perm(SUBMIT, is_secretariat)
rules.add_perm(RETURN_TO_DRAFT, is_secretariat | is_board)
rules.add_perm(APPROVE, is_board)
rules.add_perm(COMMENT, is_secretariat | is_board)
rules.add_perm(RECORD_LBF_APPROVAL, is_secretariat)
rules.add_perm(EXPORT_PLAN, can_see_plan)
rules.add_perm(ENTER_FOLLOWUP, is_secretariat)
rules.add_perm(MANAGE_TEAM, is_secretariat)
rules.add_perm(MANAGE_MEETINGS, is_secretariat)
rules.add_perm(ADD_ATTACHMENT, is_secretariat)
rules.add_perm(DELETE_ATTACHMENT, is_secretariat)
rules.add_perm(LBF_OVERVIEW, is_lbf)
rules.add_perm(VIEW_EXPORT, requested_export)
rules.add_perm(DOWNLOAD_EXPORT, may_download_export)
rules.add_perm(CREATE_PLAN, is_admin | is_plan_creator)
# A plan creator names the plan's organisations before the plan (and so its sekretariat) exists.
rules.add_perm(CREATE_SHARED, is_in_any_secretariat | is_plan_creator)
rules.add_perm(EDIT_CLAUSE, created_clause & is_in_any_secretariat)
rules.add_perm(EDIT_PARTNER, may_edit_partner)
rules.add_perm(ADMIN_SITE, rules.is_staff)


def require(user: User, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) with a Danish reason unless the user has the permission."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(REFUSALS.get(permission, "Du har ikke adgang til dette."))


def require_shared_write(user: User, edit_permission: str, obj: Any) -> None:
    """A shared register's form: changing ``obj`` needs ``edit_permission``, a new one ``CREATE_SHARED``."""
    if obj.pk is None:
        require(user, CREATE_SHARED)
    else:
        require(user, edit_permission, obj)


# --- The same rules as querysets ---------------------------------------------------------------------

def plans_visible_to(user: User) -> QuerySet[Plan]:
    """The plans ``VIEW_PLAN`` allows, as a queryset (the two must agree)."""
    if not _active(user):
        return Plan.objects.none()
    if is_admin(user) or _in_lbf_group(user):
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user).distinct()


def plans_using(partner: Organisation | Contact) -> QuerySet[Plan]:
    """The plans that name an organisation or a contact person anywhere."""
    if isinstance(partner, Contact):
        return Plan.objects.filter(
            Q(sub_agreements__parties__contacts=partner) | Q(sub_agreements__activities__contacts=partner)
            | Q(strategic_agreement__parties__contacts=partner)
        ).distinct()
    return Plan.objects.filter(
        Q(administrating_organisation=partner) | Q(municipality=partner)
        | Q(pk__in=AgreementParty.objects.filter(organisation=partner).values("agreement__plan_id"))
        | Q(pk__in=SubAgreementParty.objects.filter(organisation=partner).values("sub_agreement__plan_id"))
        | Q(pk__in=Activity.objects.filter(responsible_organisations=partner).values("sub_agreement__plan_id"))
        | Q(housing_areas__departments__organisation=partner)
    ).distinct()


# --- One user on one plan ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanAccess:
    """One user's rights on one plan they can see, for views and templates (asks the rules above)."""

    user: AbstractBaseUser
    plan: Plan

    def allows(self, permission: str) -> bool:
        return self.user.has_perm(permission, self.plan)

    def require(self, permission: str) -> None:
        require(self.user, permission, self.plan)

    @property
    def role(self) -> str | None:
        return plan_role(self.user, self.plan)

    @property
    def can_edit(self) -> bool:
        return self.allows(EDIT_PLAN)

    @property
    def can_submit(self) -> bool:
        return self.allows(SUBMIT)

    @property
    def can_return(self) -> bool:
        return self.allows(RETURN_TO_DRAFT)

    @property
    def can_approve(self) -> bool:
        return self.allows(APPROVE)

    @property
    def can_comment(self) -> bool:
        return self.allows(COMMENT)

    @property
    def can_record_lbf_approval(self) -> bool:
        return self.allows(RECORD_LBF_APPROVAL)

    @property
    def can_enter_followup(self) -> bool:
        return self.allows(ENTER_FOLLOWUP)

    @property
    def can_manage_meetings(self) -> bool:
        return self.allows(MANAGE_MEETINGS)

    @property
    def role_label(self) -> str:
        if self.role:
            return PlanMembership.Role(self.role).label
        if is_admin(self.user):
            return "Administrator"
        if is_lbf(self.user):
            return "Landsbyggefonden (læseadgang)"
        return ""
