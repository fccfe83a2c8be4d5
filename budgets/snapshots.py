"""The delaftale's økonomi in its approval snapshot (hook of ``agreements.snapshots``).

»Indsatsområdets økonomi« is derived from the budget (DESIGN.md §3 rule 6); the snapshot keeps the
figures as they were when the bestyrelse approved the delaftale, in kroner.
"""

from __future__ import annotations

from agreements.models import SubAgreement
from agreements.snapshots import collection, entry, item

from .selectors import subagreement_economy


def subagreement_collections(sub_agreement: SubAgreement) -> list[dict]:
    economy = subagreement_economy(sub_agreement)
    if economy is None:
        return []
    fields = [entry("lbf", "Landsbyggefonden (kr.)", str(economy.lbf), "number"),
              entry("local", "Lokal medfinansiering (kr.)", str(economy.local), "number"),
              entry("total", "Samlet budget (kr.)", str(economy.total), "number")]
    return [collection("economy", "Indsatsområdets økonomi", [item("economy", "Økonomi", fields)])]
