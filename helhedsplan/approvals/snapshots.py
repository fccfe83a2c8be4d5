"""The whole approval snapshot of a document: the agreement's own parts plus the parts other apps own.

The budgetark's snapshot is its content (``budgets.snapshots.budget_snapshot``).

A delaftale's snapshot holds its text, parties, activities and staff resources (``agreements``), its
økonomi (``budgets``) and its delmål and indikatorer (``indicators``); the strategic agreement's holds
its sections, parties and problemkomplekser (``agreements``) and section 5's mål og indikatorer
(``indicators``). The format is described in ``agreements.snapshots``.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

from agreements import snapshots as agreement_snapshots
from agreements.models import StrategicAgreement, SubAgreement
from budgets import snapshots as budget_snapshots
from budgets.models import Budget
from indicators import snapshots as indicator_snapshots

# Keys of a snapshot that describe the snapshot rather than the approved content: the document's
# version number grows with every save, also one that changes nothing.
NOT_CONTENT = frozenset({"version"})


def subagreement_snapshots(sub_agreements: list[SubAgreement]) -> dict[int, dict]:
    """Each delaftale's whole snapshot (id → snapshot) in a fixed number of queries (a few more per plan)."""
    snapshots = agreement_snapshots.subagreement_snapshots(sub_agreements)
    economies = budget_snapshots.subagreements_collections(sub_agreements)
    indicators = indicator_snapshots.subagreements_collections(sub_agreements)
    for pk, snapshot in snapshots.items():
        snapshot["collections"] += [*economies[pk], *indicators[pk]]
    return snapshots


def subagreement_snapshot(sub_agreement: SubAgreement) -> dict:
    return subagreement_snapshots([sub_agreement])[sub_agreement.pk]


def strategic_agreement_snapshot(agreement: StrategicAgreement) -> dict:
    snapshot = agreement_snapshots.strategic_agreement_snapshot(agreement)
    snapshot["collections"] += indicator_snapshots.strategic_agreement_collections(agreement)
    return snapshot


Document = SubAgreement | StrategicAgreement | Budget


def document_snapshot(document: Document) -> dict:
    """The document's snapshot as plain JSON values (what ``Approval.data`` stores)."""
    return document_snapshots([document])[0]


def _single_snapshot(document: StrategicAgreement | Budget) -> dict:
    if isinstance(document, Budget):
        return budget_snapshots.budget_snapshot(document)
    return strategic_agreement_snapshot(document)


def document_snapshots(documents: list[Document]) -> list[dict]:
    """``document_snapshot`` of several documents, in their order; the delaftaler read together."""
    subs = [document for document in documents if isinstance(document, SubAgreement)]
    by_sub = subagreement_snapshots(subs) if subs else {}
    result = []
    for document in documents:
        snapshot = by_sub[document.pk] if isinstance(document, SubAgreement) else _single_snapshot(document)
        result.append(json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder)))
    return result


def content_hash(snapshot: dict) -> str:
    """A canonical SHA-256 of a snapshot's content: equal exactly when the approved content is equal.

    Keys are sorted and the snapshot's own bookkeeping (``NOT_CONTENT``) left out, so the same
    content gives the same hash whether it comes from today's data or from a stored approval.
    """
    content = {key: value for key, value in snapshot.items() if key not in NOT_CONTENT}
    canonical = json.dumps(content, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
