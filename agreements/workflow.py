"""The bestyrelse's approval workflow for delaftaler and the strategic agreement.

kladde → til behandling i bestyrelsen → godkendt. The secretariat sends a draft to the bestyrelse;
a bestyrelse member records the approval (meeting date, referat reference); the approval freezes a
snapshot (``Approval``: JSON of the document and its children, the PDF) that never changes. Editing
an approved document starts a new draft while the snapshot stays the current version (DESIGN.md §3
rules 8–9). Sending or approving is refused while the plan's checks report errors.

Status changes do not change the document's version: an editor opened before a status change can
still save, and the approver's version check only trips on real content changes.
"""

from __future__ import annotations

import json
from datetime import date
from importlib.util import find_spec

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from helhedsplan.findings import Finding, plan_findings

from . import selectors, services, snapshots
from .models import Approval, DocumentStatus, StrategicAgreement, SubAgreement


class ApprovalBlocked(ValidationError):
    """The plan's checks report errors; the findings are on ``.findings``."""

    def __init__(self, findings: list[Finding], action: str):
        self.findings = findings
        lines = "; ".join(f.message for f in findings[:5])
        more = f" (og {len(findings) - 5} til)" if len(findings) > 5 else ""
        super().__init__(
            f"Dokumentet kan ikke {action}, så længe kontrollen af helhedsplanen finder fejl: {lines}{more}"
        )


def _require(by: AbstractBaseUser, document: SubAgreement | StrategicAgreement, action: str) -> None:
    plan = document.plan
    if not selectors.plans_visible_to(by).filter(pk=plan.pk).exists():
        raise PermissionDenied("Du har ikke adgang til helhedsplanen.")
    selectors.plan_access(by, plan).require(action)


def _refuse_on_errors(document: SubAgreement | StrategicAgreement, action: str) -> None:
    errors = [f for f in plan_findings(document.plan) if f.is_error]
    if errors:
        raise ApprovalBlocked(errors, action)


def _save_status(document: SubAgreement | StrategicAgreement, status: str,
                 caller_copy: SubAgreement | StrategicAgreement | None = None) -> None:
    document.status = status
    document._version_claimed = True  # a status change is not a content change
    document.save()
    if caller_copy is not None:
        caller_copy.status = status


def _locked(document):
    """The document re-read under a row lock, so two approvals of the same draft cannot both win."""
    return type(document).objects.select_for_update().select_related("plan").get(pk=document.pk)


def _render_pdf(document: SubAgreement | StrategicAgreement) -> bytes | None:
    """The approved document as PDF, from the documents pipeline (``agreements.documents`` builds
    the HTML, ``agreements.pdf`` renders it), rendered after the approval row exists so the document
    can print its approval stamp.

    Until the documents pipeline (issue 5) is merged there is no renderer: the snapshot keeps its
    JSON and its ``pdf`` stays empty (it may be filled once, later).
    """
    if find_spec("agreements.pdf") is None or find_spec("agreements.documents") is None:
        return None
    from . import documents, pdf

    if isinstance(document, SubAgreement):
        built = documents.build_document(plan=document.plan, kind=documents.DELAFTALE,
                                         area_slug=document.focus_area.slug)
    else:
        built = documents.build_document(plan=document.plan, kind=documents.SAMARBEJDSAFTALE)
    return pdf.render_pdf(built.render_html())


def _submit(original, by: AbstractBaseUser):
    _require(by, original, selectors.EDIT)
    document = _locked(original)
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("Kun en kladde kan sendes til bestyrelsen "
                              f"(status er »{document.get_status_display()}«).")
    _refuse_on_errors(document, "sendes til bestyrelsen")
    _save_status(document, DocumentStatus.SUBMITTED, original)
    return document


def _return_to_draft(original, by: AbstractBaseUser, reason: str):
    _require(by, original, selectors.COMMENT)
    document = _locked(original)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError("Kun et dokument, der er til behandling i bestyrelsen, kan sendes tilbage til kladde.")
    _save_status(document, DocumentStatus.DRAFT, original)
    if reason.strip():
        services.comment_add(plan=document.plan, author=by, text=f"Sendt tilbage til kladde: {reason.strip()}",
                             sub_agreement=document if isinstance(document, SubAgreement) else None)
    return document


def _approve(original, *, by: AbstractBaseUser, meeting_date: date, referat: str,
             expected_version: int | None) -> Approval:
    _require(by, original, selectors.APPROVE)
    document = _locked(original)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError("Kun et dokument, der er sendt til behandling i bestyrelsen, kan godkendes "
                              f"(status er »{document.get_status_display()}«).")
    if expected_version is not None and document.version != expected_version:
        raise services.VersionConflict(document, expected_version, document.version)
    errors: dict[str, str] = {}
    if not (referat or "").strip():
        errors["referat"] = "Angiv en reference til bestyrelsens referat (f.eks. »Referat af bestyrelsesmøde, pkt. 4«)."
    if meeting_date is None:
        errors["meeting_date"] = "Angiv datoen for bestyrelsesmødet."
    elif meeting_date > timezone.localdate():
        errors["meeting_date"] = "Bestyrelsesmødet kan ikke ligge i fremtiden."
    previous = selectors.latest_approval(document)
    if previous and meeting_date and meeting_date < previous.meeting_date:
        errors["meeting_date"] = (f"Mødet kan ikke ligge før den seneste godkendelse "
                                  f"({previous.meeting_date:%d.%m.%Y}).")
    if errors:
        raise ValidationError(errors)
    _refuse_on_errors(document, "godkendes")
    return _freeze(document, by=by, meeting_date=meeting_date, referat=referat, previous=previous,
                   caller_copy=original)


def _freeze(document, *, by: AbstractBaseUser, meeting_date: date, referat: str, previous: Approval | None,
            caller_copy=None, approved_by_name: str = "", render: bool = True) -> Approval:
    """Save the snapshot of ``document`` as its next approved version and mark it approved."""
    is_sub = isinstance(document, SubAgreement)
    approval = Approval(
        plan=document.plan,
        kind=Approval.Kind.SUBAGREEMENT if is_sub else Approval.Kind.STRATEGIC,
        sub_agreement=document if is_sub else None,
        focus_area=document.focus_area if is_sub else None,
        strategic_agreement=None if is_sub else document,
        number=(previous.number if previous else 0) + 1,
        document_version=document.version,
        title=str(document),
        data=snapshots.document_snapshot(document),
        meeting_date=meeting_date,
        referat=referat.strip(),
        approved_at=timezone.now(),
        approved_by=by,
        approved_by_name=approved_by_name or by.get_full_name() or by.get_username(),
        requires_lbf_approval=(not is_sub) and document.lbf_approval_required,
    )
    approval.full_clean()
    approval.save()
    _save_status(document, DocumentStatus.APPROVED, caller_copy)
    approval.pdf = _render_pdf(document) if render else None
    if approval.pdf:
        approval.save(update_fields=["pdf"])
    return approval


# --- Delaftale ------------------------------------------------------------------------------------

@transaction.atomic
def subagreement_submit(*, sub_agreement: SubAgreement, by: AbstractBaseUser) -> SubAgreement:
    """Kladde → til behandling i bestyrelsen (secretariat)."""
    return _submit(sub_agreement, by)


@transaction.atomic
def subagreement_return_to_draft(*, sub_agreement: SubAgreement, by: AbstractBaseUser,
                                 reason: str = "") -> SubAgreement:
    """Til behandling → kladde (the bestyrelse sends it back, or the secretariat withdraws it)."""
    return _return_to_draft(sub_agreement, by, reason)


@transaction.atomic
def subagreement_approve(*, sub_agreement: SubAgreement, by: AbstractBaseUser, meeting_date: date, referat: str,
                         expected_version: int | None = None) -> Approval:
    """Til behandling → godkendt (bestyrelse): freezes the approved delaftale as a snapshot.

    ``expected_version`` is the version the approver looked at; a later change refuses the approval.
    """
    return _approve(sub_agreement, by=by, meeting_date=meeting_date, referat=referat,
                    expected_version=expected_version)


# --- Approvals made outside the system ---------------------------------------------------------------

@transaction.atomic
def approval_record_external(*, document: SubAgreement | StrategicAgreement, recorded_by: AbstractBaseUser,
                             meeting_date: date, referat: str, approved_by_name: str,
                             render_pdf: bool = True) -> Approval:
    """Record an approval the bestyrelse gave outside the system (on paper, before the plan moved here,
    or the demo data's approvals): the same frozen snapshot as ``subagreement_approve``, of the document
    as it is now, without the submit step and the role check. ``recorded_by`` is who entered it;
    ``approved_by_name`` names the approver (e.g. »Bestyrelsen«). With ``render_pdf=False`` the PDF is
    left for ``approval_fill_pdf`` (e.g. a background task), which renders it only while the document
    is still exactly what was approved.
    """
    document = _locked(document)
    previous = selectors.latest_approval(document)
    errors: dict[str, str] = {}
    if not (referat or "").strip():
        errors["referat"] = "Angiv en reference til bestyrelsens referat."
    if meeting_date is None or meeting_date > timezone.localdate():
        errors["meeting_date"] = "Angiv bestyrelsesmødets dato (ikke i fremtiden)."
    elif previous and meeting_date < previous.meeting_date:
        errors["meeting_date"] = (f"Mødet kan ikke ligge før den seneste godkendelse "
                                  f"({previous.meeting_date:%d.%m.%Y}).")
    if errors:
        raise ValidationError(errors)
    return _freeze(document, by=recorded_by, meeting_date=meeting_date, referat=referat, previous=previous,
                   approved_by_name=approved_by_name, render=render_pdf)


@transaction.atomic
def approval_fill_pdf(*, approval: Approval) -> bool:
    """Render the PDF of an approval saved without one, if today's document is still exactly the approved
    snapshot (so the PDF shows what was approved); True when a PDF was stored. The PDF is fill-once."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    document = approval.sub_agreement if approval.kind == Approval.Kind.SUBAGREEMENT else approval.strategic_agreement
    if approval.has_pdf or document is None:
        return False
    document = type(document).objects.select_related("plan").get(pk=document.pk)
    if json.loads(json.dumps(snapshots.document_snapshot(document))) != approval.data:
        return False  # changed since the approval: a PDF of today's text would not be what was approved
    approval.pdf = _render_pdf(document)
    if not approval.pdf:
        return False
    approval.save(update_fields=["pdf"])
    return True


# --- Strategic agreement ------------------------------------------------------------------------------

@transaction.atomic
def strategic_agreement_submit(*, agreement: StrategicAgreement, by: AbstractBaseUser) -> StrategicAgreement:
    return _submit(agreement, by)


@transaction.atomic
def strategic_agreement_return_to_draft(*, agreement: StrategicAgreement, by: AbstractBaseUser,
                                        reason: str = "") -> StrategicAgreement:
    return _return_to_draft(agreement, by, reason)


@transaction.atomic
def strategic_agreement_approve(*, agreement: StrategicAgreement, by: AbstractBaseUser, meeting_date: date,
                                referat: str, expected_version: int | None = None) -> Approval:
    """The bestyrelse approves the strategic agreement. A changed, previously approved agreement is
    marked "kræver LBF-godkendelse" on the snapshot until LBF's approval date is recorded."""
    return _approve(agreement, by=by, meeting_date=meeting_date, referat=referat,
                    expected_version=expected_version)


@transaction.atomic
def strategic_agreement_record_lbf_approval(*, approval: Approval, by: AbstractBaseUser,
                                            lbf_approved_on: date) -> Approval:
    """Record the date LBF approved a changed strategic agreement (secretariat; once)."""
    agreement = approval.strategic_agreement
    if approval.kind != Approval.Kind.STRATEGIC or agreement is None:
        raise ValidationError("LBF-godkendelse gælder kun den strategiske samarbejdsaftale.")
    _require(by, agreement, selectors.EDIT)
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
    latest = selectors.latest_approval(agreement)
    agreement = _locked(agreement)
    if latest is not None and latest.pk == approval.pk and agreement.status == DocumentStatus.APPROVED:
        agreement.lbf_approval_required = False
        agreement._version_claimed = True
        agreement.save()
    return approval
