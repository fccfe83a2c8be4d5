"""Delmål and indicators in the approval snapshots (hook of ``agreements.snapshots``).

A delaftale's snapshot gets »Delmål og indikatorer«; the strategic agreement's gets section 5
(overordnede mål og indikatorer). One item per indicator (a delmål/mål without indicators is one item
of its own), so an LBF-udtræk can list them row by row exactly as approved.
"""

from __future__ import annotations

from agreements.models import StrategicAgreement, SubAgreement
from agreements.snapshots import collection, entry, item, model_entry

from .selectors import plan_goals, sub_goals_by_subagreement

INDICATOR_FIELDS = ["kind", "text", "unit", "target", "monitoring", "baseline_area", "baseline_other_label",
                    "baseline_other", "baseline_year", "data_source", "activity"]


def _items(group_name: str, group_label: str, groups) -> list[dict]:
    items = []
    for group in groups:
        head = entry(group_name, group_label, group.text, "longtext")
        indicators = list(group.indicators.all())
        if not indicators:
            items.append(item(f"{group_name}:{group.pk}", group.text[:80], [head]))
        for indicator in indicators:
            fields = [head] + [model_entry(indicator, name) for name in INDICATOR_FIELDS]
            items.append(item(f"indicator:{indicator.pk}", indicator.text[:80], fields))
    return items


def subagreement_collections(sub_agreement: SubAgreement) -> list[dict]:
    return subagreements_collections([sub_agreement])[sub_agreement.pk]


def subagreements_collections(sub_agreements: list[SubAgreement]) -> dict[int, list[dict]]:
    """``subagreement_collections`` of several delaftaler (id → collections) in two queries."""
    sub_goals = sub_goals_by_subagreement(sub_agreements)
    return {sub_agreement.pk: [collection("indicators", "Delmål og indikatorer",
                                          _items("sub_goal", "Delmål", sub_goals.get(sub_agreement.pk, [])))]
            for sub_agreement in sub_agreements}


def strategic_agreement_collections(agreement: StrategicAgreement) -> list[dict]:
    return [collection("goals", "5. Overordnede mål og indikatorer",
                       _items("goal", "Overordnet mål", plan_goals(agreement.plan)))]
