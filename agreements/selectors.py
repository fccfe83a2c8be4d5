"""Reads that matter: which plans a user may see, and plan pages with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from .models import (
    Activity,
    AgreementParty,
    Approval,
    Contact,
    HousingArea,
    Organisation,
    Plan,
    PlanFocusArea,
    PlanMembership,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)

LBF_GROUP = "LBF"


def is_lbf(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.groups.filter(name=LBF_GROUP).exists()


def plans_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """The plans a user sees: the queryset form of ``can_see_plan`` (the two must agree).

    Superusers and the LBF group see every plan; everybody else the plans they are a member of.
    """
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser or is_lbf(user):
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user).distinct()


def can_see_plan(user: AbstractBaseUser | AnonymousUser, *, role: str | None, lbf: bool) -> bool:
    """Whether a user with ``role`` on a plan (and in the LBF group or not) sees it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or role is not None or lbf


def _reads_as_lbf(user: AbstractBaseUser | AnonymousUser, role: str | None) -> bool:
    """LBF group membership, asked only of users it matters for (no role, not superuser)."""
    return role is None and user.is_authenticated and not user.is_superuser and is_lbf(user)


def plan_role(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> str | None:
    """The user's membership role on the plan, or None."""
    if not user.is_authenticated:
        return None
    return PlanMembership.objects.filter(user=user, plan=plan).values_list("role", flat=True).first()


def get_plan_for_user(user: AbstractBaseUser | AnonymousUser, slug: str, *, related: bool = True) -> Plan:
    """The plan with this slug if the user may see it; 404 otherwise (never 403: no leaking).

    One query for a member (their membership with the plan); otherwise the plan, and the LBF group
    for users without a role. ``plan_access`` reuses what was read here. ``related=False`` leaves
    the pulje and organisations to be read when used (for a page that mostly serves cached parts).
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404("Helhedsplanen findes ikke.")
    joined = ["plan__pulje", "plan__administrating_organisation", "plan__municipality"] if related else ["plan"]
    membership = PlanMembership.objects.filter(user=user, plan__slug=slug).select_related(*joined).first()
    if membership is not None:
        plan, role = membership.plan, membership.role
    else:
        plans = Plan.objects.filter(slug=slug)
        if related:
            plans = plans.select_related("pulje", "administrating_organisation", "municipality")
        plan, role = plans.first(), None
    lbf = _reads_as_lbf(user, role)
    if plan is None or not can_see_plan(user, role=role, lbf=lbf):
        raise Http404("Helhedsplanen findes ikke.")
    plan._viewer = (user.pk, role, lbf)
    return plan


# --- Roles -------------------------------------------------------------------------------------------
# Sekretariat edits its own plans and sends documents to the bestyrelse; bestyrelse reads, comments
# and approves; the LBF group reads (and exports) every plan; superusers may do everything. Only
# staff users reach the admin (Django's own ``is_staff`` check).

VIEW = "view"
EDIT = "edit"
APPROVE = "approve"
COMMENT = "comment"

ACTION_REFUSALS = {
    EDIT: "Kun planens sekretariat kan redigere.",
    APPROVE: "Kun planens bestyrelse kan godkende.",
    COMMENT: "Kun planens sekretariat og bestyrelse kan skrive kommentarer.",
}


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do with one plan they can see."""

    plan: Plan
    role: str | None
    is_lbf: bool = False  # sees the plan as LBF (asked only of users without a role on it)
    is_admin: bool = False

    @property
    def can_edit(self) -> bool:
        return self.is_admin or self.role == PlanMembership.Role.SECRETARIAT

    @property
    def can_approve(self) -> bool:
        return self.is_admin or self.role == PlanMembership.Role.BOARD

    @property
    def can_comment(self) -> bool:
        return self.is_admin or self.role in (PlanMembership.Role.SECRETARIAT, PlanMembership.Role.BOARD)

    def allows(self, action: str) -> bool:
        return {VIEW: True, EDIT: self.can_edit, APPROVE: self.can_approve, COMMENT: self.can_comment}[action]

    def require(self, action: str) -> None:
        """Raise PermissionDenied (403) with a Danish reason unless the user may do ``action``."""
        if not self.allows(action):
            raise PermissionDenied(ACTION_REFUSALS.get(action, "Du har ikke adgang til dette."))

    @property
    def cache_variant(self) -> str:
        """What a page's cached parts may depend on: two users with the same variant see the same."""
        return f"{self.role or '-'}.{int(self.is_lbf)}.{int(self.is_admin)}"

    @property
    def role_label(self) -> str:
        if self.role:
            return PlanMembership.Role(self.role).label
        if self.is_admin:
            return "Administrator"
        if self.is_lbf:
            return "Landsbyggefonden (læseadgang)"
        return ""


def plan_access(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> PlanAccess:
    """The user's rights on a plan they can see (call ``get_plan_for_user`` first)."""
    viewer = getattr(plan, "_viewer", None)  # role and LBF membership read by get_plan_for_user
    if viewer is not None and viewer[0] == user.pk:
        role, lbf = viewer[1], viewer[2]
    else:
        role = plan_role(user, plan)
        lbf = _reads_as_lbf(user, role)
    return PlanAccess(plan=plan, role=role, is_lbf=lbf, is_admin=bool(user.is_authenticated and user.is_superuser))


def get_plan_access(user: AbstractBaseUser | AnonymousUser, slug: str, action: str = VIEW, *,
                    related: bool = True) -> PlanAccess:
    """404 for plans the user cannot see, 403 for an action their role does not allow."""
    access = plan_access(user, get_plan_for_user(user, slug, related=related))
    access.require(action)
    return access


def editable_plans(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """Plans the user may edit (secretariat membership, or everything for superusers)."""
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user, memberships__role=PlanMembership.Role.SECRETARIAT).distinct()


def can_manage_partners(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Organisations, contacts and clauses are shared: any secretariat member may add and edit them."""
    return editable_plans(user).exists()


def activity_queryset() -> QuerySet[Activity]:
    return Activity.objects.prefetch_related("housing_areas", "responsible_organisations", "contacts")


def sub_agreement_queryset() -> QuerySet[SubAgreement]:
    return SubAgreement.objects.select_related("focus_area", "plan").prefetch_related(
        Prefetch("parties", queryset=SubAgreementParty.objects.select_related("organisation", "contact")),
        Prefetch("activities", queryset=activity_queryset()),
        Prefetch("staff_resources", queryset=StaffResource.objects.all()),
    )


def plan_overview(plan: Plan) -> dict:
    """Everything the read-only plan page shows, in a fixed number of queries."""
    strategic = StrategicAgreement.objects.filter(plan=plan).first()
    parties = []
    if strategic is not None:
        parties = list(AgreementParty.objects.filter(agreement=strategic).select_related("organisation"))
    return {
        "plan": plan,
        "strategic_agreement": strategic,
        "agreement_parties": parties,
        "focus_areas": list(PlanFocusArea.objects.filter(plan=plan).select_related("focus_area")),
        "housing_areas": list(
            HousingArea.objects.filter(plan=plan).prefetch_related("departments__organisation")
        ),
        "sub_agreements": list(sub_agreement_queryset().filter(plan=plan)),
    }


def get_sub_agreement(plan: Plan, area_slug: str) -> SubAgreement:
    sub_agreement = sub_agreement_queryset().filter(plan=plan, focus_area__slug=area_slug).first()
    if sub_agreement is None:
        raise Http404("Delaftalen findes ikke.")
    return sub_agreement


def get_activity(sub_agreement: SubAgreement, pk: int) -> Activity:
    activity = activity_queryset().filter(sub_agreement=sub_agreement, pk=pk).first()
    if activity is None:
        raise Http404("Aktiviteten findes ikke.")
    return activity


# --- Approved versions (DESIGN.md §3 rule 9) ---------------------------------------------------------

def _latest_approvals(queryset: QuerySet[Approval], as_of: date | None) -> QuerySet[Approval]:
    if as_of is not None:
        queryset = queryset.filter(meeting_date__lte=as_of)
    return queryset.order_by("-meeting_date", "-number")


def current_subagreements(plan: Plan, as_of: date | None = None) -> list[Approval]:
    """The current version of each delaftale: its latest bestyrelse approval (snapshot).

    ``as_of`` gives the latest approval whose bestyrelse meeting was on or before that date. Drafts
    after an approval are not current; a delaftale never approved has no current version.
    """
    latest: dict[int, Approval] = {}
    for approval in _latest_approvals(
        Approval.objects.filter(plan=plan, kind=Approval.Kind.SUBAGREEMENT).select_related("focus_area"), as_of
    ):
        latest.setdefault(approval.focus_area_id, approval)
    return sorted(latest.values(), key=lambda a: (a.focus_area.order, a.focus_area.name))


def current_strategic_agreement(plan: Plan, as_of: date | None = None) -> Approval | None:
    """The latest approved version of the strategic agreement (as of a date), or None."""
    return _latest_approvals(Approval.objects.filter(plan=plan, kind=Approval.Kind.STRATEGIC), as_of).first()


def latest_approval(document: SubAgreement | StrategicAgreement) -> Approval | None:
    """The most recent approval of this document (the one its changes are compared with)."""
    if isinstance(document, SubAgreement):
        queryset = Approval.objects.filter(plan_id=document.plan_id, kind=Approval.Kind.SUBAGREEMENT,
                                           focus_area_id=document.focus_area_id)
    else:
        queryset = Approval.objects.filter(plan_id=document.plan_id, kind=Approval.Kind.STRATEGIC)
    return queryset.select_related("plan", "focus_area").order_by("-number").first()  # for its URL


def approvals_of(document: SubAgreement | StrategicAgreement) -> QuerySet[Approval]:
    approvals = Approval.objects.select_related("plan", "focus_area")  # their URLs name both
    if isinstance(document, SubAgreement):
        return approvals.filter(plan_id=document.plan_id, kind=Approval.Kind.SUBAGREEMENT,
                                focus_area_id=document.focus_area_id).order_by("-number")
    return approvals.filter(plan_id=document.plan_id, kind=Approval.Kind.STRATEGIC).order_by("-number")


# --- Partners across plans -----------------------------------------------------------------------------

def _in_brackets(text: str) -> str:
    return f" ({text})" if text else ""


def organisation_usage(organisation: Organisation, user: AbstractBaseUser | AnonymousUser) -> list[dict]:
    """Where an organisation is used, limited to the plans the user can see."""
    plans = plans_visible_to(user)
    uses: list[dict] = []
    for plan in plans.filter(Q(administrating_organisation=organisation) | Q(municipality=organisation)):
        if plan.administrating_organisation_id == organisation.pk:
            uses.append({"plan": plan, "where": "Administrerende boligorganisation", "url": plan.get_absolute_url()})
        if plan.municipality_id == organisation.pk:
            uses.append({"plan": plan, "where": "Kommune", "url": plan.get_absolute_url()})
    for party in AgreementParty.objects.filter(organisation=organisation, agreement__plan__in=plans) \
            .select_related("agreement__plan"):
        uses.append({"plan": party.agreement.plan,
                     "where": f"Part i den strategiske samarbejdsaftale{_in_brackets(party.role)}",
                     "url": party.agreement.plan.get_absolute_url()})
    for party in SubAgreementParty.objects.filter(organisation=organisation, sub_agreement__plan__in=plans) \
            .select_related("sub_agreement__plan", "sub_agreement__focus_area"):
        uses.append({"plan": party.sub_agreement.plan,
                     "where": f"Part i {party.sub_agreement}{_in_brackets(party.role)}",
                     "url": party.sub_agreement.get_absolute_url()})
    for activity in Activity.objects.filter(responsible_organisations=organisation,
                                            sub_agreement__plan__in=plans) \
            .select_related("sub_agreement__plan", "sub_agreement__focus_area"):
        uses.append({"plan": activity.sub_agreement.plan, "where": f"Ansvarlig for aktiviteten »{activity.name}«",
                     "url": f"{activity.sub_agreement.get_absolute_url()}#aktivitet-{activity.pk}"})
    for department in organisation.departments.filter(housing_area__plan__in=plans) \
            .select_related("housing_area__plan"):
        uses.append({"plan": department.housing_area.plan,
                     "where": f"Boligafdeling {department.number} i {department.housing_area.name}",
                     "url": department.housing_area.plan.get_absolute_url()})
    return sorted(uses, key=lambda use: (use["plan"].name, use["where"]))


def contact_usage(contact: Contact, user: AbstractBaseUser | AnonymousUser) -> list[dict]:
    """Where a contact person is named, limited to the plans the user can see."""
    return contacts_usage([contact], user)[contact.pk]


def contacts_usage(contacts: list[Contact], user: AbstractBaseUser | AnonymousUser) -> dict[int, list[dict]]:
    """``contact_usage`` for several contacts at once (a fixed number of queries), keyed by contact id."""
    plans = plans_visible_to(user)
    uses: dict[int, list[dict]] = {contact.pk: [] for contact in contacts}
    for party in SubAgreementParty.objects.filter(contact__in=contacts, sub_agreement__plan__in=plans) \
            .select_related("sub_agreement__plan", "sub_agreement__focus_area"):
        uses[party.contact_id].append({"plan": party.sub_agreement.plan,
                                       "where": f"Kontaktperson i {party.sub_agreement}",
                                       "url": party.sub_agreement.get_absolute_url()})
    for link in Activity.contacts.through.objects.filter(contact__in=contacts,
                                                         activity__sub_agreement__plan__in=plans) \
            .select_related("activity__sub_agreement__plan", "activity__sub_agreement__focus_area"):
        activity = link.activity
        uses[link.contact_id].append({"plan": activity.sub_agreement.plan,
                                      "where": f"Kontaktperson for aktiviteten »{activity.name}«",
                                      "url": f"{activity.sub_agreement.get_absolute_url()}#aktivitet-{activity.pk}"})
    return {pk: sorted(items, key=lambda use: (use["plan"].name, use["where"])) for pk, items in uses.items()}


@dataclass
class DocumentRow:
    """One agreement document of a plan with where it is in the workflow."""

    title: str
    document: StrategicAgreement | SubAgreement
    url: str
    latest_approval: Approval | None

    @property
    def status(self) -> str:
        return self.document.status

    @property
    def status_label(self) -> str:
        return self.document.get_status_display()

    @property
    def changed_since_approval(self) -> bool:
        return self.latest_approval is not None and self.document.status != "godkendt"

    @property
    def needs_lbf_approval(self) -> bool:
        return isinstance(self.document, StrategicAgreement) and self.document.lbf_approval_required


def plan_documents(plan: Plan) -> list[DocumentRow]:
    """The strategic agreement and the delaftaler of a plan with status and latest approval."""
    approvals: dict[tuple, Approval] = {}
    for approval in Approval.objects.filter(plan=plan).select_related("plan", "focus_area").order_by("number"):
        approvals[(approval.kind, approval.focus_area_id)] = approval
    rows: list[DocumentRow] = []
    agreement = StrategicAgreement.objects.filter(plan=plan).first()
    if agreement is not None:
        rows.append(DocumentRow("Strategisk samarbejdsaftale", agreement,
                                reverse("agreements:strategic_detail", kwargs={"slug": plan.slug}),
                                approvals.get((Approval.Kind.STRATEGIC, None))))
    for sub_agreement in SubAgreement.objects.filter(plan=plan).select_related("focus_area", "plan"):
        rows.append(DocumentRow(str(sub_agreement), sub_agreement, sub_agreement.get_absolute_url(),
                                approvals.get((Approval.Kind.SUBAGREEMENT, sub_agreement.focus_area_id))))
    return rows


def plans_documents(plans: list[Plan]) -> dict[int, list[DocumentRow]]:
    """``plan_documents`` for many plans at once (a fixed number of queries), keyed by plan id."""
    plan_ids = [plan.pk for plan in plans]
    by_slug = {plan.pk: plan for plan in plans}
    approvals: dict[tuple, Approval] = {}
    for approval in Approval.objects.filter(plan_id__in=plan_ids).order_by("number").defer("data", "pdf"):
        approvals[(approval.plan_id, approval.kind, approval.focus_area_id)] = approval
    rows: dict[int, list[DocumentRow]] = {pk: [] for pk in plan_ids}
    for agreement in StrategicAgreement.objects.filter(plan_id__in=plan_ids):
        agreement.plan = by_slug[agreement.plan_id]
        rows[agreement.plan_id].append(DocumentRow(
            "Strategisk samarbejdsaftale", agreement,
            reverse("agreements:strategic_detail", kwargs={"slug": agreement.plan.slug}),
            approvals.get((agreement.plan_id, Approval.Kind.STRATEGIC, None))))
    for sub_agreement in SubAgreement.objects.filter(plan_id__in=plan_ids).select_related("focus_area") \
            .order_by("plan_id", "order", "focus_area__order"):
        sub_agreement.plan = by_slug[sub_agreement.plan_id]
        rows[sub_agreement.plan_id].append(DocumentRow(
            str(sub_agreement), sub_agreement, sub_agreement.get_absolute_url(),
            approvals.get((sub_agreement.plan_id, Approval.Kind.SUBAGREEMENT, sub_agreement.focus_area_id))))
    return rows
