"""Plan-level texts and switches kept by the secretariat: the beredskabsplan, the public page and the
day of the annual follow-up."""

from __future__ import annotations

from django.db import transaction

from .models import Plan


@transaction.atomic
def plan_beredskabsplan_update(*, plan: Plan, text: str) -> Plan:
    plan.beredskabsplan = text.strip()
    plan.full_clean()
    plan.save(update_fields=["beredskabsplan"])
    return plan


@transaction.atomic
def plan_public_page_update(*, plan: Plan, enabled: bool, intro: str) -> Plan:
    plan.public_page_enabled = enabled
    plan.public_intro = intro.strip()
    plan.full_clean()
    plan.save(update_fields=["public_page_enabled", "public_intro"])
    return plan


@transaction.atomic
def plan_followup_date_update(*, plan: Plan, month: int, day: int) -> Plan:
    """The day each year from which the secretariat is reminded of missing indicator values."""
    plan.followup_month = month
    plan.followup_day = day
    plan.full_clean()
    plan.save(update_fields=["followup_month", "followup_day"])
    return plan


@transaction.atomic
def plan_area_name_update(*, plan: Plan, area_name: str) -> Plan:
    """The samarbejdsaftale's "Områdets navn" (the plan's name is printed when it is empty)."""
    plan.area_name = area_name.strip()
    plan.full_clean()
    plan.save(update_fields=["area_name"])
    return plan


@transaction.atomic
def plan_document_kind_update(*, plan: Plan, document_kind: str) -> Plan:
    """Lay the plan's documents out as an LBF-helhedsplan or as a Kontrakt om boligsocialt samarbejde.
    The kind is part of every document's snapshot when it is a contract, so a switch un-approves them."""
    plan.document_kind = document_kind
    plan.full_clean()
    plan.save(update_fields=["document_kind"])
    return plan
