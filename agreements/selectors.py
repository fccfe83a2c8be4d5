"""Reads that matter: which plans a user may see, and plan pages with a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from . import permissions
from .models import (
    Activity,
    AgreementParty,
    AgreementPartyContact,
    Contact,
    HousingArea,
    Organisation,
    Plan,
    PlanFocusArea,
    PlanMembership,
    PuljeText,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
    SubAgreementPartyContact,
)


def get_plan_for_user(user: AbstractBaseUser | AnonymousUser, slug: str, *, related: bool = True) -> Plan:
    """The plan with this slug if the user may see it; 404 otherwise (never 403: no leaking).

    One query for a member (their membership with the plan); otherwise the plan, and the LBF group
    for users without a role. The permission rules reuse the role read here. ``related=False`` leaves
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
    if plan is None:
        raise Http404("Helhedsplanen findes ikke.")
    plan._viewer = (user.pk, role)  # the role, for the permission rules
    if not user.has_perm(permissions.VIEW_PLAN, plan):
        raise Http404("Helhedsplanen findes ikke.")
    return plan


def get_plan_access(user: AbstractBaseUser | AnonymousUser, slug: str,
                    permission: str = permissions.VIEW_PLAN, *, related: bool = True) -> permissions.PlanAccess:
    """404 for a plan the user cannot see, 403 for what their role does not allow."""
    access = permissions.PlanAccess(user=user, plan=get_plan_for_user(user, slug, related=related))
    access.require(permission)
    return access


def sub_agreement_parties() -> QuerySet[SubAgreementParty]:
    """A delaftale's parties with their organisation and contact persons (``contact_list``), two queries."""
    return SubAgreementParty.objects.select_related("organisation").prefetch_related(
        Prefetch("contact_links", queryset=SubAgreementPartyContact.objects.select_related("contact")))


def agreement_parties() -> QuerySet[AgreementParty]:
    """The strategic agreement's parties with their organisation and contact persons (``contact_list``)."""
    return AgreementParty.objects.select_related("organisation").prefetch_related(
        Prefetch("contact_links", queryset=AgreementPartyContact.objects.select_related("contact")))


def activity_queryset() -> QuerySet[Activity]:
    return Activity.objects.prefetch_related("housing_areas", "responsible_organisations", "contacts")


def sub_agreement_queryset() -> QuerySet[SubAgreement]:
    return SubAgreement.objects.select_related("focus_area", "plan").prefetch_related(
        Prefetch("parties", queryset=sub_agreement_parties()),
        Prefetch("activities", queryset=activity_queryset()),
        Prefetch("staff_resources", queryset=StaffResource.objects.all()),
    )


def plan_overview(plan: Plan, *, parties: bool = True) -> dict:
    """What the plan page and the strategic agreement's page show of the plan, in a fixed number of queries:
    the strategic agreement with its parties (``parties=False``: without), the chosen indsatsområder and the
    boligområder with their afdelinger. (The delaftaler are read by the pages that show them.)"""
    strategic = StrategicAgreement.objects.filter(plan=plan).first()
    party_rows = []
    if strategic is not None and parties:
        party_rows = list(agreement_parties().filter(agreement=strategic))
    return {
        "plan": plan,
        "strategic_agreement": strategic,
        "agreement_parties": party_rows,
        "focus_areas": list(PlanFocusArea.objects.filter(plan=plan).select_related("focus_area")),
        "housing_areas": list(
            HousingArea.objects.filter(plan=plan).prefetch_related("departments__organisation")
        ),
    }


def get_sub_agreement(plan: Plan, area_slug: str, *, children: bool = True) -> SubAgreement:
    """The plan's delaftale for an indsatsområde, with its parties, activities and staff resources read too
    (``children=False``: without them, for a page that reads them its own way or not at all)."""
    queryset = sub_agreement_queryset() if children else SubAgreement.objects.select_related("focus_area", "plan")
    sub_agreement = queryset.filter(plan=plan, focus_area__slug=area_slug).first()
    if sub_agreement is None:
        raise Http404("Delaftalen findes ikke.")
    return sub_agreement


def get_activity(sub_agreement: SubAgreement, pk: int) -> Activity:
    activity = activity_queryset().filter(sub_agreement=sub_agreement, pk=pk).first()
    if activity is None:
        raise Http404("Aktiviteten findes ikke.")
    return activity


# --- Partners across plans -----------------------------------------------------------------------------

def _in_brackets(text: str) -> str:
    return f" ({text})" if text else ""


def organisation_usage(organisation: Organisation, user: AbstractBaseUser | AnonymousUser) -> list[dict]:
    """Where an organisation is used, limited to the plans the user can see."""
    plans = permissions.plans_visible_to(user)
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
    plans = permissions.plans_visible_to(user)
    uses: dict[int, list[dict]] = {contact.pk: [] for contact in contacts}
    for party_link in SubAgreementPartyContact.objects.filter(contact__in=contacts,
                                                              party__sub_agreement__plan__in=plans) \
            .select_related("party__sub_agreement__plan", "party__sub_agreement__focus_area"):
        sub_agreement = party_link.party.sub_agreement
        uses[party_link.contact_id].append({"plan": sub_agreement.plan,
                                            "where": f"Kontaktperson i {sub_agreement}",
                                            "url": sub_agreement.get_absolute_url()})
    for agreement_link in AgreementPartyContact.objects.filter(contact__in=contacts,
                                                               party__agreement__plan__in=plans) \
            .select_related("party__agreement__plan"):
        plan = agreement_link.party.agreement.plan
        uses[agreement_link.contact_id].append({"plan": plan, "where": "Kontaktperson i samarbejdsaftalen",
                                                "url": reverse("agreements:strategic_detail",
                                                               kwargs={"slug": plan.slug})})
    for link in Activity.contacts.through.objects.filter(contact__in=contacts,
                                                         activity__sub_agreement__plan__in=plans) \
            .select_related("activity__sub_agreement__plan", "activity__sub_agreement__focus_area"):
        activity = link.activity
        uses[link.contact_id].append({"plan": activity.sub_agreement.plan,
                                      "where": f"Kontaktperson for aktiviteten »{activity.name}«",
                                      "url": f"{activity.sub_agreement.get_absolute_url()}#aktivitet-{activity.pk}"})
    return {pk: sorted(items, key=lambda use: (use["plan"].name, use["where"])) for pk, items in uses.items()}


def pulje_texts(pulje_id: int) -> dict[str, str]:
    """LBF's standard texts of the samarbejdsaftale for a pulje, by place (``PuljeText.Key``); a place
    without a text is missing from the result."""
    return dict(PuljeText.objects.filter(pulje_id=pulje_id).exclude(text="").values_list("key", "text"))
