"""The bestyrelse's approval workflow for delaftaler, the strategic agreement and the budgetark.

kladde → til behandling i bestyrelsen → godkendt. The secretariat sends a draft to the bestyrelse;
a bestyrelse member records the approval (meeting date, referat reference); the approval freezes a
snapshot (``Approval``: JSON of the document and its children, and its content hash) that never
changes. "Godkendt" is not a stored status but the document's content being the approved content
(``state``): editing an approved document makes it a kladde again while the snapshot stays the
current version, and undoing the edit makes it godkendt again. Sending or approving is refused while
the plan's checks report errors.

The same three functions serve every kind of document; a budget revision is a new approved version
of the budgetark, exactly as a revised delaftale is. The PDF of an approval is rendered by the
documents pipeline (``helhedsplan.documents.services``), which builds on this module.

Status changes do not change the document's version: an editor opened before a status change can
still save, and the approver's version check only trips on real content changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements import permissions, services
from agreements.models import DocumentStatus, Plan, StrategicAgreement, SubAgreement
from helhedsplan.findings import Finding, plan_findings
from helhedsplan.formatting import format_date

from . import notices, snapshots
from .models import AgendaItem, Approval, BoardMeeting
from .state import Document, approval_kind, document_state, latest_approval


class ApprovalBlocked(ValidationError):
    """The plan's checks report errors; the findings are on ``.findings``."""

    def __init__(self, findings: list[Finding], action: str):
        self.findings = findings
        lines = "; ".join(f.message for f in findings[:5])
        more = f" (og {len(findings) - 5} til)" if len(findings) > 5 else ""
        super().__init__(
            f"Dokumentet kan ikke {action}, så længe kontrollen af helhedsplanen finder fejl: {lines}{more}"
        )


def _refuse_on_errors(document: Document, action: str) -> None:
    errors = [f for f in plan_findings(document.plan) if f.is_error]
    if errors:
        raise ApprovalBlocked(errors, action)


def _save_status(document: Document, status: str, caller_copy: Document | None = None) -> None:
    document.status = status
    document._version_claimed = True  # a status change is not a content change
    document.save(update_fields=["status"])
    if caller_copy is not None:
        caller_copy.status = status


def _locked(document: Document) -> Document:
    """The document re-read under a row lock, so two approvals of the same draft cannot both win."""
    return type(document).objects.select_for_update().select_related("plan", "plan__pulje").get(pk=document.pk)


@transaction.atomic
def document_submit(*, document: Document, by: AbstractBaseUser) -> Document:
    """Kladde → til behandling i bestyrelsen (secretariat)."""
    permissions.require(by, permissions.SUBMIT, document.plan)
    locked = _locked(document)
    state = document_state(locked)
    if state.is_submitted:
        raise ValidationError("Dokumentet er allerede sendt til bestyrelsen.")
    if state.is_approved:
        raise ValidationError("Dokumentet er uændret siden bestyrelsens seneste godkendelse.")
    _refuse_on_errors(locked, "sendes til bestyrelsen")
    _save_status(locked, DocumentStatus.SUBMITTED, document)
    notices.submitted(locked, by=by)
    return locked


@transaction.atomic
def document_return_to_draft(*, document: Document, by: AbstractBaseUser, reason: str = "") -> Document:
    """Til behandling → kladde (the bestyrelse sends it back, or the secretariat withdraws it)."""
    permissions.require(by, permissions.RETURN_TO_DRAFT, document.plan)
    locked = _locked(document)
    if locked.status != DocumentStatus.SUBMITTED:
        raise ValidationError("Kun et dokument, der er til behandling i bestyrelsen, kan sendes tilbage til kladde.")
    _save_status(locked, DocumentStatus.DRAFT, document)
    if reason.strip():
        services.comment_add(plan=locked.plan, author=by, text=f"Sendt tilbage til kladde: {reason.strip()}",
                             sub_agreement=locked if isinstance(locked, SubAgreement) else None)
    notices.returned(locked, by=by, reason=reason)
    return locked


def _approval_errors(*, meeting_date: date | None, referat: str, previous: Approval | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (referat or "").strip():
        errors["referat"] = "Angiv en reference til bestyrelsens referat (f.eks. »Referat af bestyrelsesmøde, pkt. 4«)."
    if meeting_date is None:
        errors["meeting_date"] = "Angiv datoen for bestyrelsesmødet."
    elif meeting_date > timezone.localdate():
        errors["meeting_date"] = "Bestyrelsesmødet kan ikke ligge i fremtiden."
    elif previous and meeting_date < previous.meeting_date:
        errors["meeting_date"] = (f"Mødet kan ikke ligge før den seneste godkendelse "
                                  f"({previous.meeting_date:%d.%m.%Y}).")
    return errors


@transaction.atomic
def document_approve(*, document: Document, by: AbstractBaseUser, meeting_date: date, referat: str,
                     expected_version: int | None = None, meeting: BoardMeeting | None = None) -> Approval:
    """Til behandling → godkendt (bestyrelse): freezes the approved document as a snapshot.

    ``expected_version`` is the version the approver looked at; a later change refuses the approval.
    ``meeting`` is the bestyrelsesmøde whose agenda the approval is recorded from (its date is
    ``meeting_date``).
    """
    permissions.require(by, permissions.APPROVE, document.plan)
    if meeting is not None and (meeting.plan_id != document.plan_id or meeting.date != meeting_date):
        raise ValidationError("Godkendelsen hører ikke til dette bestyrelsesmøde.")
    locked = _locked(document)
    if locked.status != DocumentStatus.SUBMITTED:
        raise ValidationError("Kun et dokument, der er sendt til behandling i bestyrelsen, kan godkendes.")
    if expected_version is not None and locked.version != expected_version:
        raise services.VersionConflict(locked, expected_version, locked.version)
    previous = latest_approval(locked)
    errors = _approval_errors(meeting_date=meeting_date, referat=referat, previous=previous)
    if errors:
        raise ValidationError(errors)
    _refuse_on_errors(locked, "godkendes")
    approval = _freeze(locked, by=by, meeting_date=meeting_date, referat=referat, previous=previous,
                       meeting=meeting)
    _save_status(locked, DocumentStatus.DRAFT, document)
    notices.approved(approval, locked)
    return approval


@transaction.atomic
def approval_record_external(*, document: Document, recorded_by: AbstractBaseUser, meeting_date: date,
                             referat: str, approved_by_name: str) -> Approval:
    """Record an approval the bestyrelse gave outside the system (on paper, before the plan moved here,
    or the demo data's approvals): the same frozen snapshot as ``document_approve``, of the document
    as it is now, without the submit step and the role check. ``recorded_by`` is who entered it;
    ``approved_by_name`` names the approver (e.g. »Bestyrelsen«).
    """
    locked = _locked(document)
    previous = latest_approval(locked)
    errors = _approval_errors(meeting_date=meeting_date, referat=referat or "-", previous=previous)
    if not (referat or "").strip():
        errors["referat"] = "Angiv en reference til bestyrelsens referat."
    if errors:
        raise ValidationError(errors)
    approval = _freeze(locked, by=recorded_by, meeting_date=meeting_date, referat=referat, previous=previous,
                       approved_by_name=approved_by_name)
    _save_status(locked, DocumentStatus.DRAFT, document)
    return approval


def _freeze(document: Document, *, by: AbstractBaseUser, meeting_date: date, referat: str,
            previous: Approval | None, approved_by_name: str = "", meeting: BoardMeeting | None = None) -> Approval:
    """Save the snapshot of ``document`` as its next approved version."""
    kind = approval_kind(document)
    is_sub = kind == Approval.Kind.SUBAGREEMENT
    data = snapshots.document_snapshot(document)
    content_hash = snapshots.content_hash(data)
    # A change to a strategic agreement the bestyrelse approved before needs LBF's approval too, and
    # so does a re-approval while LBF has not yet approved the previous change.
    requires_lbf = kind == Approval.Kind.STRATEGIC and previous is not None and (
        previous.content_hash != content_hash or (previous.requires_lbf_approval and not previous.lbf_approved_on)
    )
    approval = Approval(
        plan=document.plan,
        kind=kind,
        sub_agreement=document if is_sub else None,
        focus_area=document.focus_area if is_sub else None,
        strategic_agreement=document if kind == Approval.Kind.STRATEGIC else None,
        budget=document if kind == Approval.Kind.BUDGET else None,
        number=(previous.number if previous else 0) + 1,
        document_version=document.version,
        title=str(document),
        data=data,
        content_hash=content_hash,
        meeting=meeting,
        meeting_date=meeting_date,
        referat=referat.strip(),
        approved_at=timezone.now(),
        approved_by=by,
        approved_by_name=approved_by_name or by.get_full_name() or by.get_username(),
        requires_lbf_approval=requires_lbf,
    )
    approval.full_clean()
    approval.save()
    return approval


@transaction.atomic
def strategic_agreement_record_lbf_approval(*, approval: Approval, by: AbstractBaseUser,
                                            lbf_approved_on: date) -> Approval:
    """Record the date LBF approved a changed strategic agreement (secretariat; once)."""
    if approval.kind != Approval.Kind.STRATEGIC:
        raise ValidationError("LBF-godkendelse gælder kun den strategiske samarbejdsaftale.")
    permissions.require(by, permissions.RECORD_LBF_APPROVAL, approval.plan)
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if not approval.requires_lbf_approval:
        raise ValidationError("Denne version kræver ikke LBF-godkendelse.")
    if approval.lbf_approved_on is not None:
        raise ValidationError("LBF's godkendelse er allerede registreret.")
    if lbf_approved_on is None:
        raise ValidationError({"lbf_approved_on": "Angiv datoen for LBF's godkendelse."})
    if lbf_approved_on < approval.meeting_date:
        raise ValidationError({"lbf_approved_on": "LBF kan ikke have godkendt før bestyrelsen."})
    if lbf_approved_on > timezone.localdate():
        raise ValidationError({"lbf_approved_on": "Datoen kan ikke ligge i fremtiden."})
    approval.lbf_approved_on = lbf_approved_on
    approval.lbf_recorded_by = by
    approval.save()
    return approval


# --- Bestyrelsesmøder ----------------------------------------------------------------------------------

def _refuse_once_approved(meeting: BoardMeeting, what: str) -> None:
    if meeting.approvals.exists():
        raise ValidationError(f"{what} kan ikke ændres, efter bestyrelsen har godkendt dokumenterne på mødet.")


@transaction.atomic
def meeting_create(*, plan: Plan, by: AbstractBaseUser, date: date, place: str, referat: str = "") -> BoardMeeting:
    """A new bestyrelsesmøde of the plan, with an empty agenda (secretariat)."""
    permissions.require(by, permissions.MANAGE_MEETINGS, plan)
    meeting = BoardMeeting(plan=plan, date=date, place=place.strip(), referat=referat.strip(), created_by=by)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: BoardMeeting, by: AbstractBaseUser, date: date, place: str,
                   referat: str) -> BoardMeeting:
    """Change the meeting's date, place and referat (secretariat). The date is fixed once documents were
    approved on the meeting: their approvals carry it."""
    permissions.require(by, permissions.MANAGE_MEETINGS, meeting.plan)
    meeting = BoardMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    if date != meeting.date:
        _refuse_once_approved(meeting, "Mødets dato")
    meeting.date = date
    meeting.place = place.strip()
    meeting.referat = referat.strip()
    meeting.full_clean()
    meeting.save()
    return meeting


def agenda_documents(meeting: BoardMeeting) -> list[Document]:
    """The documents on the meeting's agenda, in agenda order."""
    items = meeting.agenda_items.select_related("sub_agreement__focus_area", "sub_agreement__plan",
                                                "strategic_agreement__plan").order_by("order", "id")
    return [item.document for item in items]


@transaction.atomic
def meeting_agenda_set(*, meeting: BoardMeeting, by: AbstractBaseUser, documents: Sequence[Document]) -> BoardMeeting:
    """Replace the meeting's agenda with ``documents``, in this order (secretariat).

    Only the plan's own documents that are sent to the bestyrelse can be put on the agenda; a document
    already on it stays even if it was sent back in the meantime (it cannot be approved until it is sent
    again). The agenda is fixed once its documents were approved.
    """
    permissions.require(by, permissions.MANAGE_MEETINGS, meeting.plan)
    meeting = BoardMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    current = {(type(item.document), item.document.pk): item
               for item in meeting.agenda_items.select_related("sub_agreement", "strategic_agreement")
               .order_by("order", "id")}
    unique: dict[tuple[type, int], Document] = {}
    for document in documents:
        unique.setdefault((type(document), document.pk), document)
    if list(unique) == list(current):
        return meeting  # unchanged
    _refuse_once_approved(meeting, "Dagsordenen")
    errors: list[str] = []
    for key, document in unique.items():
        if document.plan_id != meeting.plan_id:
            errors.append(f"»{document}« hører ikke til helhedsplanen.")
        elif key not in current and document.status != DocumentStatus.SUBMITTED:
            errors.append(f"»{document}« er ikke sendt til behandling i bestyrelsen og kan derfor ikke komme på "
                          f"dagsordenen.")
    if errors:
        raise ValidationError(errors)
    for key, item in current.items():
        if key not in unique:
            item.delete()
    for position, (key, document) in enumerate(unique.items(), start=1):
        item = current.get(key) or AgendaItem(
            meeting=meeting, sub_agreement=document if isinstance(document, SubAgreement) else None,
            strategic_agreement=document if isinstance(document, StrategicAgreement) else None)
        if item.pk is None or item.order != position:
            item.order = position
            item.full_clean()
            item.save()
    return meeting


def meeting_approval_blockers(meeting: BoardMeeting) -> list[str]:
    """Why the documents on the meeting's agenda cannot be approved now (none: they can be tried; each
    document is checked when it is approved)."""
    errors: list[str] = []
    if meeting.approvals.exists():
        errors.append("Dokumenterne på dagsordenen er allerede godkendt på dette møde.")
    elif not meeting.agenda_items.exists():
        errors.append("Dagsordenen har ingen dokumenter til godkendelse.")
    if meeting.date > timezone.localdate():
        errors.append(f"Dokumenterne kan først godkendes på mødedagen ({format_date(meeting.date)}).")
    return errors
