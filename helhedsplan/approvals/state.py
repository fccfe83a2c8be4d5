"""Where a document stands: kladde, til behandling i bestyrelsen, or godkendt — by construction.

A document is "godkendt" exactly while its live content equals the content of its latest approval:
the canonical hash of today's snapshot (``snapshots.content_hash``) equals the hash frozen with the
approval. Nothing stores "godkendt", so no write path — the editor, the admin, an import, a budget or
indicator change, a history restore, a bulk write or a queryset ``update()`` — can leave a document
marked approved over content nobody approved, and undoing a change makes it godkendt again.

The only stored workflow fact is whether the secretariat has sent the document to the bestyrelse
(``status``: kladde / til behandling); approving freezes a snapshot and puts ``status`` back to kladde.
Every reader — status badges, the dashboard, the documents' approval stamp, the LBF export, "ændringer
siden sidste godkendelse" — asks ``document_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from agreements.models import DocumentStatus, StrategicAgreement, SubAgreement
from budgets.models import Budget

from . import snapshots
from .models import Approval

APPROVED = "godkendt"
LABELS = {
    DocumentStatus.DRAFT: "Kladde",
    DocumentStatus.SUBMITTED: "Til behandling i bestyrelsen",
    APPROVED: "Godkendt",
}


Document = SubAgreement | StrategicAgreement | Budget


def approval_kind(document: Document) -> str:
    if isinstance(document, SubAgreement):
        return Approval.Kind.SUBAGREEMENT
    return Approval.Kind.BUDGET if isinstance(document, Budget) else Approval.Kind.STRATEGIC


def latest_approval(document: Document) -> Approval | None:
    """The most recent approval of this document (the one its content is compared with)."""
    approvals = Approval.objects.filter(plan_id=document.plan_id, kind=approval_kind(document))
    if isinstance(document, SubAgreement):
        approvals = approvals.filter(focus_area_id=document.focus_area_id)
    return approvals.select_related("plan", "focus_area").order_by("-number").first()  # for its URL


@dataclass
class DocumentState:
    """One document's place in the workflow, computed from its live content and its latest approval."""

    document: Document
    latest_approval: Approval | None

    @cached_property
    def snapshot(self) -> dict:
        return snapshots.document_snapshot(self.document)

    @cached_property
    def live_hash(self) -> str:
        return snapshots.content_hash(self.snapshot)

    @cached_property
    def matches_approval(self) -> bool:
        """Today's content is exactly the content of the latest approval."""
        return self.latest_approval is not None and self.latest_approval.content_hash == self.live_hash

    @property
    def is_submitted(self) -> bool:
        return self.document.status == DocumentStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return not self.is_submitted and self.matches_approval

    @property
    def is_draft(self) -> bool:
        return not self.is_submitted and not self.matches_approval

    @property
    def code(self) -> str:
        if self.is_submitted:
            return DocumentStatus.SUBMITTED
        return APPROVED if self.matches_approval else DocumentStatus.DRAFT

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def changed_since_approval(self) -> bool:
        """Approved before, and today's content differs from that approval."""
        return self.latest_approval is not None and not self.matches_approval

    @property
    def needs_lbf_approval(self) -> bool:
        """A strategic agreement changed after an approval, until LBF's approval of the change is recorded."""
        if not isinstance(self.document, StrategicAgreement) or self.latest_approval is None:
            return False
        if self.changed_since_approval:
            return True
        return self.latest_approval.requires_lbf_approval and self.latest_approval.lbf_approved_on is None


def document_states(documents: list[Document],
                    approvals: list[Approval | None]) -> list[DocumentState]:
    """The states of several documents whose latest approvals the caller has read; the live content of
    the approved ones is read together (a fixed number of queries, a few more per plan)."""
    states = [DocumentState(document=document, latest_approval=approval)
              for document, approval in zip(documents, approvals, strict=True)]
    compared = [state for state in states if state.latest_approval is not None]
    for state, snapshot in zip(compared, snapshots.document_snapshots([s.document for s in compared]), strict=True):
        state.__dict__["snapshot"] = snapshot  # what the cached property would have read
    return states


def latest_approvals(documents: list[Document]) -> list[Approval | None]:
    """``latest_approval`` of several documents of one or more plans, read together in one query. Only what a
    state needs is read (the frozen content and HTML stay in the database)."""
    if not documents:
        return []
    latest: dict[tuple, Approval] = {}
    approvals = Approval.objects.filter(plan_id__in={document.plan_id for document in documents},
                                        kind__in={approval_kind(document) for document in documents})
    for approval in approvals.select_related("plan", "focus_area").defer("data", "html").order_by("number"):
        latest[(approval.plan_id, approval.kind, approval.focus_area_id)] = approval
    return [latest.get((document.plan_id, approval_kind(document),
                        document.focus_area_id if isinstance(document, SubAgreement) else None))
            for document in documents]


_UNREAD = object()


def document_state(document: Document, *,
                   approval: Approval | None | object = _UNREAD) -> DocumentState:
    """The document's state. ``approval`` passes its latest approval (or None) when the caller has read it."""
    latest = latest_approval(document) if approval is _UNREAD else approval
    return DocumentState(document=document, latest_approval=latest)


def approved_states(documents: list[Document]) -> list[DocumentState] | None:
    """The documents' states if every one of them is approved, else None, reading as little live content as
    that takes: none when a document was never approved or is with the bestyrelse; then the strategic
    agreement and the budget one at a time (stopping at the first that is not approved), the delaftaler
    together."""
    states = [DocumentState(document=document, latest_approval=approval)
              for document, approval in zip(documents, latest_approvals(documents), strict=True)]
    if any(state.latest_approval is None or state.is_submitted for state in states):
        return None
    if not all(state.is_approved for state in states if not isinstance(state.document, SubAgreement)):
        return None
    subs = [state for state in states if isinstance(state.document, SubAgreement)]
    for state, snapshot in zip(subs, snapshots.document_snapshots([s.document for s in subs]), strict=True):
        state.__dict__["snapshot"] = snapshot  # what the cached property would have read
    return states if all(state.is_approved for state in subs) else None


def document_status(document: Document) -> DocumentState:
    """The state of one document for a page that shows where it stands and not the approval's content (its
    latest approval is read without the frozen content and HTML)."""
    return document_state(document, approval=latest_approvals([document])[0])
