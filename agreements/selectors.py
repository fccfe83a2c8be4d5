"""Reads that matter: which plans a user may see, and plan pages with a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import (
    Activity,
    AgreementParty,
    HousingArea,
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
    """The one place that decides which plans a user sees.

    Superusers and the LBF group see every plan; everybody else the plans they are a member of.
    """
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser or is_lbf(user):
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user).distinct()


def plan_role(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> str | None:
    """The user's membership role on the plan, or None."""
    if not user.is_authenticated:
        return None
    membership = PlanMembership.objects.filter(user=user, plan=plan).only("role").first()
    return membership.role if membership else None


def get_plan_for_user(user: AbstractBaseUser | AnonymousUser, slug: str) -> Plan:
    """The plan with this slug if the user may see it; 404 otherwise (never 403: no leaking)."""
    plan = plans_visible_to(user).select_related("pulje", "administrating_organisation", "municipality") \
        .filter(slug=slug).first()
    if plan is None:
        raise Http404("Helhedsplanen findes ikke.")
    return plan


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
