"""The secretariat updates a delaftale for the next bestyrelse meeting; the bestyrelse sees what changed
and approves it. And two people editing at once never lose work."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from agreements.models import Activity, Clause
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from tests.e2e.conftest import login
from tests.worker import queued, run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLAUSE_TEXT = "Delaftalen revideres én gang årligt på bestyrelsens første møde efter sommerferien."


@pytest.fixture
def approved_once(ws):
    """The delaftale as the bestyrelse approved it last time."""
    Clause.objects.create(category=Clause.Category.REVISION, title="Årlig revision efter sommerferien",
                          text=CLAUSE_TEXT)
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    workflow.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=date(2024, 3, 12),
                                  referat="Referat 12. marts 2024, pkt. 3")
    return ws


def test_update_a_delaftale_and_the_board_approves_it(live_server, new_page, approved_once):
    ws = approved_once
    area = ws.sub_agreement.focus_area
    page = new_page()

    # The secretary logs in and finds the delaftale from the dashboard
    login(page, live_server, "sara")
    page.get_by_role("link", name=f"Delaftale for indsatsområdet {area.name}").first.click()
    expect(page.get_by_role("heading", name=f"Delaftale for indsatsområdet {area.name}")).to_be_visible()
    page.get_by_role("link", name="Redigér delaftalen").click()

    # Add an activity
    page.get_by_role("button", name="Tilføj aktivitet").click()
    new_activity = page.locator(".activity-row").last
    new_activity.get_by_label("Aktivitetsnavn").fill("Forældrecafé")
    new_activity.get_by_label("Formål").fill("Forældre mødes og styrker hinanden.")

    # Insert a clause into "Revision af delaftalen", then edit it
    revision = page.locator("#id_revision")
    revision.fill("")
    picker = page.locator(".clause-field", has=revision).locator("details.clause-picker")
    picker.locator("summary").click()
    picker.get_by_role("button", name="Indsæt »Årlig revision efter sommerferien«").click()
    expect(revision).to_have_value(CLAUSE_TEXT)
    revision.press("End")
    revision.type(" Sekretariatet forbereder revisionen.")

    page.get_by_role("button", name="Gem delaftalen").click()
    expect(page.get_by_text("Delaftalen er gemt.")).to_be_visible()
    assert Activity.objects.filter(sub_agreement=ws.sub_agreement, name="Forældrecafé").exists()

    # The change shows in the history and in the diff against the last approval
    page.get_by_role("link", name="Historik").last.click()
    expect(page.locator(".changes").first).to_contain_text("Revision af delaftalen")
    expect(page.locator(".changes").first).to_contain_text("Forældrecafé")
    page.get_by_role("link", name="Ændringer siden sidste godkendelse").first.click()
    expect(page.locator(".diff-item.added")).to_contain_text("Forældrecafé")
    expect(page.locator(".worddiff ins").first).to_have_text(CLAUSE_TEXT + " Sekretariatet forbereder revisionen.")
    expect(page.locator(".worddiff del").first).to_have_text("Bestyrelsen reviderer delaftalen årligt.")

    # Send it to the board
    page.get_by_role("button", name="Send til behandling i bestyrelsen").click()
    expect(page.get_by_text("Dokumentet er sendt til behandling i bestyrelsen.").first).to_be_visible()
    page.get_by_role("button", name="Log ud").click()

    # The board member sees exactly what changed and approves
    board = new_page()
    login(board, live_server, "bent")
    board.get_by_role("link", name=f"Delaftale for indsatsområdet {area.name}").first.click()
    board.get_by_role("link", name="Ændringer siden sidste godkendelse").first.click()
    expect(board.get_by_text("Dagens udgave sammenlignet med version 1")).to_be_visible()
    expect(board.locator(".diff-item.added")).to_contain_text("Forældrecafé")
    board.get_by_label("Dato for bestyrelsesmødet").fill(date.today().isoformat())
    board.get_by_label("Referat (reference)").fill("Referat af bestyrelsesmødet, pkt. 5")
    board.get_by_role("button", name="Godkend").click()
    expect(board.get_by_text("Godkendt. Version 2 er nu den gældende.")).to_be_visible()

    approval = Approval.objects.get(sub_agreement=ws.sub_agreement, number=2)
    assert approval.approved_by == ws.board
    assert "Forældrecafé" in str(approval.data)
    ws.sub_agreement.refresh_from_db()
    assert document_state(ws.sub_agreement).is_approved

    # The approved PDF: a waiting page until the worker has rendered it, then the page reloads itself
    # into the download
    board.get_by_role("link", name="Hent den godkendte PDF").first.click()
    expect(board.get_by_role("heading", name="Dokumentet gøres klar …")).to_be_visible()
    expect(board.get_by_role("link", name="Tilbage til")).to_be_visible()
    # The page's reloads wait while the worker runs in this thread (the live server shares its database
    # connection with this thread): an intercepted request goes on only when Playwright is called again.
    board.route("**/pdf/", lambda route: route.continue_())
    run_worker()
    assert queued("render_approval_pdf") == 0
    with board.expect_download() as download_info:
        pass  # the next reload (meta refresh, two seconds) gets the file
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_concurrent_edit_is_refused_and_keeps_what_was_typed(live_server, new_page, ws):
    from tests.factories.agreements import PlanMembershipFactory

    PlanMembershipFactory(plan=ws.plan, user__username="kim", user__first_name="Kim", user__last_name="Kollega")
    area = ws.sub_agreement.focus_area
    editor = f"{live_server.url}/planer/{ws.plan.slug}/delaftaler/{area.slug}/rediger/"
    sara, kim = new_page(), new_page()
    login(sara, live_server, "sara")
    login(kim, live_server, "kim")
    sara.goto(editor)
    kim.goto(editor)

    sara.locator("#id_revision").fill("Saras nye tekst om revision.")
    sara.get_by_role("button", name="Gem delaftalen").click()
    expect(sara.get_by_text("Delaftalen er gemt.")).to_be_visible()

    kim.locator("#id_revision").fill("Kims grundige tekst om revision.")
    kim.get_by_role("button", name="Gem delaftalen").click()
    expect(kim.get_by_role("alert")).to_contain_text("Ikke gemt: en anden har ændret delaftalen imens")
    expect(kim.get_by_role("alert")).to_contain_text("Sara Sekretær")
    expect(kim.locator("#id_revision")).to_have_value("Kims grundige tekst om revision.")
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Saras nye tekst om revision."

    # Kim has read Sara's change and decides to keep his text
    kim.get_by_label(re.compile("vil gemme min udgave alligevel")).check()
    kim.get_by_role("button", name="Gem delaftalen").click()
    expect(kim.get_by_text("Delaftalen er gemt.")).to_be_visible()
    ws.sub_agreement.refresh_from_db()
    assert ws.sub_agreement.revision == "Kims grundige tekst om revision."
