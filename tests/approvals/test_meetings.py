"""Bestyrelsesmøder: the agenda of documents til behandling, and approving all of them at once or none."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import DocumentStatus, PlanMembership
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import AgendaItem, Approval, BoardMeeting
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import services as document_services
from tests.agreements.workspace_data import build_workspace
from tests.factories.agreements import PlanMembershipFactory, SubAgreementFactory, UserFactory
from tests.factories.approvals import BoardMeetingFactory

MEETING = date(2024, 3, 12)
REFERAT = "Pkt. 3: Bestyrelsen godkendte samarbejdsaftalen og delaftalen uden bemærkninger."


@pytest.fixture
def ws(db):
    """The workspace with both documents sent to the bestyrelse."""
    ws = build_workspace()
    for document in (ws.strategic, ws.sub_agreement):
        workflow.document_submit(document=document, by=ws.secretary)
    return ws


def _meeting_with_agenda(ws, day=MEETING):
    meeting = workflow.meeting_create(plan=ws.plan, by=ws.secretary, date=day, place="Beboerhuset")
    return workflow.meeting_agenda_set(meeting=meeting, by=ws.secretary, documents=[ws.strategic, ws.sub_agreement])


def _agenda(meeting):
    return [item.document for item in AgendaItem.objects.filter(meeting=meeting).order_by("order")]


# --- Meetings and their agenda ---------------------------------------------------------------------

def test_the_secretariat_creates_a_meeting_and_puts_the_submitted_documents_on_its_agenda(ws):
    meeting = _meeting_with_agenda(ws)
    assert meeting.plan == ws.plan and meeting.created_by == ws.secretary and meeting.date == MEETING
    assert _agenda(meeting) == [ws.strategic, ws.sub_agreement]
    assert meeting.history.count() == 1, "the meeting has a history"

    workflow.meeting_agenda_set(meeting=meeting, by=ws.secretary, documents=[ws.sub_agreement])
    assert _agenda(meeting) == [ws.sub_agreement]
    workflow.meeting_update(meeting=meeting, by=ws.secretary, date=MEETING + timedelta(days=1), place=" Kontoret ",
                            referat="")
    meeting.refresh_from_db()
    assert (meeting.date, meeting.place) == (MEETING + timedelta(days=1), "Kontoret")


def test_only_documents_sent_to_the_bestyrelse_go_on_the_agenda(ws):
    workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.secretary)
    meeting = workflow.meeting_create(plan=ws.plan, by=ws.secretary, date=MEETING, place="Beboerhuset")
    with pytest.raises(ValidationError) as excinfo:
        workflow.meeting_agenda_set(meeting=meeting, by=ws.secretary, documents=[ws.strategic, ws.sub_agreement])
    assert "er ikke sendt til behandling i bestyrelsen" in " ".join(excinfo.value.messages)
    assert _agenda(meeting) == []

    other = SubAgreementFactory(plan=ws.other_plan, status=DocumentStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="hører ikke til helhedsplanen"):
        workflow.meeting_agenda_set(meeting=meeting, by=ws.secretary, documents=[other])


def test_an_agenda_item_names_exactly_one_document(ws):
    meeting = BoardMeetingFactory(plan=ws.plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, sub_agreement=ws.sub_agreement, strategic_agreement=ws.strategic)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting)


@pytest.mark.parametrize("who", ["board", "lbf", "outsider"])
def test_only_the_secretariat_manages_meetings(ws, who):
    user = getattr(ws, who)
    with pytest.raises(PermissionDenied):
        workflow.meeting_create(plan=ws.plan, by=user, date=MEETING, place="Beboerhuset")
    meeting = BoardMeetingFactory(plan=ws.plan)
    with pytest.raises(PermissionDenied):
        workflow.meeting_agenda_set(meeting=meeting, by=user, documents=[ws.sub_agreement])
    with pytest.raises(PermissionDenied):
        workflow.meeting_update(meeting=meeting, by=user, date=MEETING, place="Andetsteds", referat="")
    assert not BoardMeeting.objects.filter(plan=ws.plan).exclude(pk=meeting.pk).exists()


# --- Approving the agenda --------------------------------------------------------------------------

def test_approving_the_agenda_approves_every_document_with_the_meetings_date_and_referat(ws):
    meeting = _meeting_with_agenda(ws)
    approvals = document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat=f"  {REFERAT}  ")

    assert [a.kind for a in approvals] == [Approval.Kind.STRATEGIC, Approval.Kind.SUBAGREEMENT]
    for approval in approvals:
        assert approval.meeting == meeting
        assert approval.meeting_date == MEETING
        assert approval.referat == REFERAT
        assert approval.approved_by == ws.board
        assert approval.html, "the approved document is frozen as with a single approval"
    meeting.refresh_from_db()
    assert meeting.referat == REFERAT
    for document in (ws.strategic, ws.sub_agreement):
        document.refresh_from_db()
        assert document_state(document).is_approved


def test_one_document_that_can_no_longer_be_approved_means_nothing_is_approved(ws):
    meeting = _meeting_with_agenda(ws)
    workflow.document_return_to_draft(document=ws.sub_agreement, by=ws.board, reason="Budgettet mangler.")

    with pytest.raises(ValidationError) as excinfo:
        document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat=REFERAT)
    message = " ".join(excinfo.value.messages)
    assert message.startswith("Intet er godkendt")
    assert str(ws.sub_agreement) in message and "sendt til behandling" in message
    assert not Approval.objects.filter(plan=ws.plan).exists()
    ws.strategic.refresh_from_db()
    assert ws.strategic.status == DocumentStatus.SUBMITTED, "the first document's approval was rolled back"
    meeting.refresh_from_db()
    assert meeting.referat == ""


def test_a_document_changed_after_the_approver_opened_the_agenda_stops_the_approval(ws):
    meeting = _meeting_with_agenda(ws)
    items = {item.sub_agreement_id: item.pk for item in meeting.agenda_items.all()}
    seen = {items[None]: ws.strategic.version, items[ws.sub_agreement.pk]: ws.sub_agreement.version}
    ws.sub_agreement.refresh_from_db()
    services.subagreement_save(sub_agreement=ws.sub_agreement, expected_version=ws.sub_agreement.version,
                               fields={"revision": "Revideres hvert halve år."})

    with pytest.raises(ValidationError, match="er ændret, efter du åbnede dagsordenen"):
        document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat=REFERAT,
                                                 expected_versions=seen)
    assert not Approval.objects.filter(plan=ws.plan).exists()


def test_the_agenda_cannot_be_approved_before_the_meeting_without_referat_or_twice(ws):
    future = _meeting_with_agenda(ws, day=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError, match="først godkendes på mødedagen"):
        document_services.meeting_approve_agenda(meeting=future, by=ws.board, referat=REFERAT)
    empty = workflow.meeting_create(plan=ws.plan, by=ws.secretary, date=MEETING, place="Beboerhuset")
    with pytest.raises(ValidationError, match="ingen dokumenter"):
        document_services.meeting_approve_agenda(meeting=empty, by=ws.board, referat=REFERAT)
    meeting = _meeting_with_agenda(ws)
    with pytest.raises(ValidationError, match="Skriv mødets referat"):
        document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat="  ")
    assert not Approval.objects.filter(plan=ws.plan).exists()

    document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat=REFERAT)
    with pytest.raises(ValidationError, match="allerede godkendt"):
        document_services.meeting_approve_agenda(meeting=meeting, by=ws.board, referat=REFERAT)
    # The approvals carry the meeting's date and agenda: both are fixed now; the referat is not.
    with pytest.raises(ValidationError, match="Dagsordenen kan ikke ændres"):
        workflow.meeting_agenda_set(meeting=meeting, by=ws.secretary, documents=[ws.strategic])
    with pytest.raises(ValidationError, match="Mødets dato kan ikke ændres"):
        workflow.meeting_update(meeting=meeting, by=ws.secretary, date=MEETING + timedelta(days=1),
                                place="Beboerhuset", referat=REFERAT)
    workflow.meeting_update(meeting=meeting, by=ws.secretary, date=MEETING, place="Beboerhuset",
                            referat=REFERAT + "\nPkt. 4: Eventuelt.")


@pytest.mark.parametrize("who", ["secretary", "lbf", "outsider"])
def test_only_the_bestyrelse_approves_the_agenda(ws, who):
    meeting = _meeting_with_agenda(ws)
    with pytest.raises(PermissionDenied):
        document_services.meeting_approve_agenda(meeting=meeting, by=getattr(ws, who), referat=REFERAT)
    assert not Approval.objects.filter(plan=ws.plan).exists()


# --- Pages -------------------------------------------------------------------------------------------

def _url(name, ws, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"slug": ws.plan.slug, **kwargs})


def test_the_secretariat_plans_a_meeting_on_its_pages(client, ws):
    client.force_login(ws.secretary)
    page = client.get(_url("meeting_list", ws)).content.decode()
    assert "Nyt bestyrelsesmøde" in page
    form = client.get(_url("meeting_new", ws)).content.decode()
    assert "Strategisk samarbejdsaftale" in form and str(ws.sub_agreement) in form
    response = client.post(_url("meeting_new", ws), {
        "date": "2024-03-12", "place": "Beboerhuset", "referat": "",
        "documents": [f"delaftale-{ws.sub_agreement.pk}"],
    })
    meeting = BoardMeeting.objects.get(plan=ws.plan)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert _agenda(meeting) == [ws.sub_agreement]
    assert client.get(_url("meeting_list", ws)).content.decode().count(meeting.get_absolute_url()) == 1
    assert "Bestyrelsesmøder" in client.get(ws.plan.get_absolute_url()).content.decode(), "in the plan navigation"


def test_the_meeting_page_links_each_document_and_the_bestyrelse_approves_it_all(client, ws):
    meeting = _meeting_with_agenda(ws)
    area = ws.sub_agreement.focus_area.slug
    client.force_login(ws.board)
    page = client.get(meeting.get_absolute_url()).content.decode()
    for url in (reverse("documents:samarbejdsaftale_pdf", kwargs={"slug": ws.plan.slug}),
                reverse("documents:delaftale_pdf", kwargs={"slug": ws.plan.slug, "area": area}),
                _url("strategic_changes", ws), _url("subagreement_changes", ws, area=area)):
        assert f'href="{url}"' in page
    assert "Godkend dagsordenens dokumenter" in page

    items = meeting.agenda_items.all()
    data = {"referat": REFERAT, **{f"version_{item.pk}": item.document.version for item in items}}
    response = client.post(_url("meeting_approve", ws, pk=meeting.pk), data, follow=True)
    assert "dokumenter er godkendt" in response.content.decode()
    assert Approval.objects.filter(meeting=meeting).count() == 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Godkend dagsordenens dokumenter" not in page and "Hent den godkendte PDF" in page


def test_the_secretariat_sees_no_approve_button_and_may_not_approve(client, ws):
    meeting = _meeting_with_agenda(ws)
    client.force_login(ws.secretary)
    assert "Godkend dagsordenens dokumenter" not in client.get(meeting.get_absolute_url()).content.decode()
    response = client.post(_url("meeting_approve", ws, pk=meeting.pk), {"referat": REFERAT})
    assert response.status_code == 403
    assert not Approval.objects.filter(plan=ws.plan).exists()


def test_the_bestyrelse_may_not_create_or_edit_meetings(client, ws):
    meeting = _meeting_with_agenda(ws)
    client.force_login(ws.board)
    assert "Nyt bestyrelsesmøde" not in client.get(_url("meeting_list", ws)).content.decode()
    assert client.get(_url("meeting_new", ws)).status_code == 403
    assert client.post(_url("meeting_edit", ws, pk=meeting.pk), {"date": "2024-03-13", "place": "X"}).status_code == 403


def test_a_board_member_of_another_plan_cannot_see_or_approve_the_meeting(client, ws):
    meeting = _meeting_with_agenda(ws)
    stranger = UserFactory(username="bodil")
    PlanMembershipFactory(user=stranger, plan=ws.other_plan, role=PlanMembership.Role.BOARD)
    client.force_login(stranger)
    assert client.get(_url("meeting_list", ws)).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.post(_url("meeting_approve", ws, pk=meeting.pk), {"referat": REFERAT}).status_code == 404
    # Nor through the other plan's address.
    other_url = reverse("agreements:meeting_detail", kwargs={"slug": ws.other_plan.slug, "pk": meeting.pk})
    assert client.get(other_url).status_code == 404
    assert not Approval.objects.filter(plan=ws.plan).exists()


def test_a_referat_with_a_control_character_approves_nothing_and_says_why(client, ws):
    meeting = _meeting_with_agenda(ws)
    approvals_before = Approval.objects.count()
    client.force_login(ws.board)
    items = meeting.agenda_items.all()
    data = {"referat": "Pkt. 3:\x0c godkendt", **{f"version_{item.pk}": item.document.version for item in items}}
    response = client.post(_url("meeting_approve", ws, pk=meeting.pk), data, follow=True)
    assert "Intet er godkendt" in response.content.decode() and "styretegn" in response.content.decode()
    assert Approval.objects.count() == approvals_before
    meeting.refresh_from_db()
    assert meeting.referat == ""
