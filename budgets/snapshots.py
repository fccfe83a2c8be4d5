"""The delaftale's økonomi in its approval snapshot (hook of ``agreements.snapshots``).

»Indsatsområdets økonomi« is derived from the budget; the snapshot keeps the
figures as they were when the bestyrelse approved the delaftale, in kroner.
"""

from __future__ import annotations

from agreements.models import SubAgreement
from agreements.snapshots import collection, entry, item

from .selectors import Economy, subagreement_economies


def subagreement_collections(sub_agreement: SubAgreement) -> list[dict]:
    return subagreements_collections([sub_agreement])[sub_agreement.pk]


def subagreements_collections(sub_agreements: list[SubAgreement]) -> dict[int, list[dict]]:
    """``subagreement_collections`` of several delaftaler (id → collections), a few queries per plan."""
    economies = subagreement_economies(sub_agreements)
    return {sub_agreement.pk: _economy_collections(economies[sub_agreement.pk]) for sub_agreement in sub_agreements}


def _economy_collections(economy: Economy | None) -> list[dict]:
    if economy is None:
        return []
    fields = [entry("lbf", "Landsbyggefonden (kr.)", str(economy.lbf), "number"),
              entry("local", "Lokal medfinansiering (kr.)", str(economy.local), "number"),
              entry("total", "Samlet budget (kr.)", str(economy.total), "number")]
    return [collection("economy", "Indsatsområdets økonomi", [item("economy", "Økonomi", fields)])]
