"""Every transition of the approval workflow, and every refusal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import Activity, Comment, DocumentStatus, SubAgreement
from agreements.services import ChildChanges, VersionConflict
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.selectors import current_strategic_agreement, current_subagreements
from helhedsplan.approvals.services import ApprovalBlocked
from helhedsplan.approvals.state import document_state
from tests.demo import without_demo

MEETING = date(2024, 3, 12)


def _submit_and_approve(ws, meeting=MEETING, referat="Referat af bestyrelsesmøde, pkt. 4"):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    return workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=meeting,
                                         referat=referat)


def _break_the_plan(ws):
    """An error finding: the delaftale's period no longer lies inside the plan's."""
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(end_date=ws.plan.end_date + timedelta(days=365))


def _edit(sub_agreement, **fields):
    sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=sub_agreement, expected_version=sub_agreement.version, fields=fields)
    sub_agreement.refresh_from_db()


# --- Delaftale: kladde → til behandling ------------------------------------------------------------

def test_secretary_sends_a_draft_to_the_board(ws):
    version = ws.sub_agreement.version
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.SUBMITTED
    assert ws.sub_agreement.version == version, "a status change is not a content change"


@pytest.mark.parametrize("who", ["board", "lbf", "outsider"])
def test_only_the_secretariat_sends_to_the_board(ws, who):
    with pytest.raises(PermissionDenied):
        workflow.document_submit(document=ws.sub_agreement, by=getattr(ws, who))
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.DRAFT


def test_submitting_twice_is_refused(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    with pytest.raises(ValidationError, match="allerede sendt"):
        workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)


def test_submitting_is_refused_while_the_checks_report_errors(ws):
    _break_the_plan(ws)
    with pytest.raises(ApprovalBlocked) as excinfo:
        workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    assert "uden for helhedsplanens periode" in str(excinfo.value)
    assert excinfo.value.findings and all(f.is_error for f in excinfo.value.findings)
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.DRAFT


# --- Til behandling → godkendt ---------------------------------------------------------------------

def test_board_approval_freezes_a_snapshot(ws):
    approval = _submit_and_approve(ws)
    ws.sub_agreement.refresh_from_db()
    assert document_state(ws.sub_agreement).is_approved
    assert approval.number == 1
    assert approval.meeting_date == MEETING
    assert approval.referat == "Referat af bestyrelsesmøde, pkt. 4"
    assert approval.approved_by == ws.board and approval.approved_by_name == "Bent Bestyrelse"
    assert approval.approved_at.date() == timezone.localdate()
    assert approval.document_version == ws.sub_agreement.version
    data = approval.data
    assert data["kind"] == "delaftale" and data["focus_area"]["slug"] == ws.sub_agreement.focus_area.slug
    fields = {f["name"]: f["value"] for f in data["fields"]}
    assert fields["revision"] == "Bestyrelsen reviderer delaftalen årligt."
    collections = {c["name"]: c for c in data["collections"]}
    activities = collections["activities"]["items"]
    assert [a["label"] for a in activities] == ["Lektiecafé Toften", "Familieklub"]
    lektiecafe = {f["name"]: f["value"] for f in activities[0]["fields"]}
    assert lektiecafe["housing_areas"] == ["Toftegården"]
    assert lektiecafe["responsible_organisations"] == ["Boligselskabet Toften"]
    assert [p["label"] for p in collections["parties"]["items"]] == ["Boligselskabet Toften"]
    assert [s["label"] for s in collections["staff_resources"]["items"]] == ["Boligsocial koordinator"]


@pytest.mark.parametrize("who", ["secretary", "lbf", "outsider"])
def test_only_the_board_approves(ws, who):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    with pytest.raises(PermissionDenied):
        workflow.document_approve(document=ws.sub_agreement, by=getattr(ws, who), meeting_date=MEETING,
                                      referat="Referat")
    assert not without_demo(Approval).exists()


def test_a_draft_cannot_be_approved_without_being_sent(ws):
    with pytest.raises(ValidationError, match="sendt til behandling"):
        workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=MEETING,
                                      referat="Referat")
    assert not without_demo(Approval).exists()


def test_approval_is_refused_while_the_checks_report_errors(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    _break_the_plan(ws)
    with pytest.raises(ApprovalBlocked, match="kan ikke godkendes"):
        workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=MEETING,
                                      referat="Referat")
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.SUBMITTED
    assert not without_demo(Approval).exists()


@pytest.mark.parametrize(("meeting", "referat", "field", "message"), [
    (None, "Referat", "meeting_date", "Angiv datoen"),
    (date.today() + timedelta(days=3), "Referat", "meeting_date", "fremtiden"),
    (MEETING, "   ", "referat", "reference til bestyrelsens referat"),
])
def test_approval_needs_a_past_meeting_date_and_a_referat(ws, meeting, referat, field, message):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    with pytest.raises(ValidationError) as excinfo:
        workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=meeting,
                                      referat=referat)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not without_demo(Approval).exists()


def test_approval_of_a_version_changed_after_the_board_looked_is_refused(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    seen = ws.sub_agreement.version
    _edit(ws.sub_agreement, revision="Ændret lige før mødet.")
    with pytest.raises(VersionConflict):
        workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=MEETING,
                                      referat="Referat", expected_version=seen)
    assert not without_demo(Approval).exists()


def test_a_meeting_before_the_previous_approval_is_refused(ws):
    _submit_and_approve(ws)
    _edit(ws.sub_agreement, revision="Ny tekst.")
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    with pytest.raises(ValidationError, match="før den seneste godkendelse"):
        workflow.document_approve(document=ws.sub_agreement, by=ws.board,
                                      meeting_date=MEETING - timedelta(days=1), referat="Referat")


# --- Til behandling → kladde ----------------------------------------------------------------------

def test_board_sends_it_back_with_a_reason_as_comment(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.board, reason="Mangler budgettal.")
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.DRAFT
    comment = Comment.objects.get(sub_agreement=ws.sub_agreement)
    assert comment.author == ws.board and "Mangler budgettal." in comment.text


def test_only_a_submitted_document_can_be_sent_back(ws):
    with pytest.raises(ValidationError, match="til behandling"):
        workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.board)


def test_lbf_cannot_send_back(ws):
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    with pytest.raises(PermissionDenied):
        workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.lbf)


# --- Editing after approval; current versions -------------------------------------------------------

def test_editing_an_approved_delaftale_starts_a_new_draft_and_the_snapshot_stays_current(ws):
    approval = _submit_and_approve(ws)
    frozen = approval.data
    _edit(ws.sub_agreement, revision="Revideres hvert halve år.")
    assert ws.sub_agreement.status == DocumentStatus.DRAFT
    current = current_subagreements(ws.plan)
    assert current == [approval]
    approval.refresh_from_db()
    assert approval.data == frozen
    assert {f["name"]: f["value"] for f in current[0].data["fields"]}["revision"] == \
        "Bestyrelsen reviderer delaftalen årligt."


def test_child_changes_also_start_a_new_draft(ws):
    _submit_and_approve(ws)
    ws.sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=ws.sub_agreement.version,
                               activities=ChildChanges(saved=[Activity(name="Ny aktivitet")]))
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.status == DocumentStatus.DRAFT


def test_current_subagreements_as_of_a_date(ws):
    first = _submit_and_approve(ws, meeting=date(2023, 1, 10))
    _edit(ws.sub_agreement, revision="Anden udgave.")
    second = _submit_and_approve(ws, meeting=date(2024, 1, 10))
    assert second.number == 2
    assert current_subagreements(ws.plan) == [second]
    assert current_subagreements(ws.plan, as_of=date(2023, 6, 1)) == [first]
    assert current_subagreements(ws.plan, as_of=date(2024, 1, 10)) == [second]
    assert current_subagreements(ws.plan, as_of=date(2022, 12, 31)) == []


def test_a_never_approved_delaftale_has_no_current_version(ws):
    assert current_subagreements(ws.plan) == []


def test_a_snapshot_never_changes_and_cannot_be_deleted(ws):
    approval = _submit_and_approve(ws)
    approval.data = {"fields": []}
    with pytest.raises(ValidationError, match="kan ikke ændres"):
        approval.save()
    approval = Approval.objects.get(pk=approval.pk)
    approval.referat = "Et andet referat"
    with pytest.raises(ValidationError):
        approval.save()
    with pytest.raises(ValidationError, match="kan ikke slettes"):
        Approval.objects.get(pk=approval.pk).delete()
    assert Approval.objects.get(pk=approval.pk).referat == "Referat af bestyrelsesmøde, pkt. 4"


@pytest.mark.parametrize(("field", "first", "second"), [
    ("pdf", "godkendelser/1/first.pdf", "godkendelser/1/second.pdf"),
    ("html", "<h1>Godkendt</h1>", "<h1>Ændret</h1>"),
])
def test_the_pdf_and_html_of_a_snapshot_can_be_filled_once(ws, field, first, second):
    approval = _submit_and_approve(ws)  # recorded without either (the documents app adds them)
    approval = Approval.objects.get(pk=approval.pk)
    setattr(approval, field, first)
    approval.save()
    approval = Approval.objects.get(pk=approval.pk)
    setattr(approval, field, second)
    with pytest.raises(ValidationError, match="allerede udfyldt"):
        approval.save()
    stored = getattr(Approval.objects.get(pk=approval.pk), field)
    assert (stored.name if field == "pdf" else stored) == first


# --- Strategic agreement ----------------------------------------------------------------------------

def _approve_strategic(ws, meeting=MEETING):
    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    return workflow.document_approve(document=ws.strategic, by=ws.board, meeting_date=meeting,
                                                referat="Referat, pkt. 2")


def test_strategic_agreement_goes_through_the_same_workflow(ws):
    approval = _approve_strategic(ws)
    ws.strategic.refresh_from_db()
    assert document_state(ws.strategic).is_approved
    assert approval.kind == Approval.Kind.STRATEGIC and approval.number == 1
    assert not approval.requires_lbf_approval, "the first approval is not a change"
    assert current_strategic_agreement(ws.plan) == approval
    sections = {f["name"]: f["value"] for f in approval.data["fields"]}
    assert sections["section_2_vision"] == "Et trygt boligområde for alle."


def test_a_change_to_an_approved_strategic_agreement_requires_lbf_approval(ws):
    _approve_strategic(ws, meeting=date(2023, 5, 1))
    ws.strategic.refresh_from_db()
    assert not document_state(ws.strategic).needs_lbf_approval
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_2_vision": "En ny vision."})
    ws.strategic.refresh_from_db()
    state = document_state(ws.strategic)
    assert state.needs_lbf_approval and state.code == DocumentStatus.DRAFT
    second = _approve_strategic(ws, meeting=date(2024, 5, 1))
    assert second.requires_lbf_approval and second.lbf_approved_on is None
    ws.strategic.refresh_from_db()
    assert document_state(ws.strategic).needs_lbf_approval, "still flagged until LBF's date is recorded"

    workflow.strategic_agreement_record_lbf_approval(approval=second, by=ws.secretary,
                                                     lbf_approved_on=date(2024, 6, 1))
    second.refresh_from_db()
    ws.strategic.refresh_from_db()
    assert second.lbf_approved_on == date(2024, 6, 1) and second.lbf_recorded_by == ws.secretary
    assert not document_state(ws.strategic).needs_lbf_approval


def test_lbf_approval_refusals(ws):
    first = _approve_strategic(ws, meeting=date(2023, 5, 1))
    with pytest.raises(ValidationError, match="kræver ikke LBF-godkendelse"):
        workflow.strategic_agreement_record_lbf_approval(approval=first, by=ws.secretary,
                                                         lbf_approved_on=date(2023, 6, 1))
    ws.strategic.refresh_from_db()
    services.strategic_agreement_save(agreement=ws.strategic, expected_version=ws.strategic.version,
                                      fields={"section_8_revision": "Revideres årligt."})
    second = _approve_strategic(ws, meeting=date(2024, 5, 1))
    with pytest.raises(PermissionDenied):
        workflow.strategic_agreement_record_lbf_approval(approval=second, by=ws.board,
                                                         lbf_approved_on=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="før bestyrelsen"):
        workflow.strategic_agreement_record_lbf_approval(approval=second, by=ws.secretary,
                                                         lbf_approved_on=date(2024, 4, 1))
    workflow.strategic_agreement_record_lbf_approval(approval=second, by=ws.secretary,
                                                     lbf_approved_on=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="allerede registreret"):
        workflow.strategic_agreement_record_lbf_approval(approval=second, by=ws.secretary,
                                                         lbf_approved_on=date(2024, 7, 1))


def test_strategic_refusals_match_the_delaftale(ws):
    with pytest.raises(PermissionDenied):
        workflow.document_submit(document=ws.strategic, by=ws.board)
    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    with pytest.raises(PermissionDenied):
        workflow.document_approve(document=ws.strategic, by=ws.secretary, meeting_date=MEETING,
                                             referat="Referat")
    workflow.document_return_to_draft(document=ws.strategic, by=ws.board, reason="")
    ws.strategic.refresh_from_db()
    assert ws.strategic.status == DocumentStatus.DRAFT
    _break_the_plan(ws)
    with pytest.raises(ApprovalBlocked):
        workflow.document_submit(document=ws.strategic, by=ws.secretary)
