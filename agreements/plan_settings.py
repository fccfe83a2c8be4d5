"""Plan-level texts and switches kept by the secretariat: the beredskabsplan and the public page."""

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
