"""A secretariat starts on its own: from the reference data and one user the administrator allowed to
create plans, that user starts a plan, invites a bestyrelse member by e-mail (through a real SMTP
server), and the member approves a delaftale from the link in the e-mail — nobody opens /admin/."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from agreements.models import PlanMembership, SubAgreement
from agreements.permissions import PLAN_CREATORS_GROUP
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from tests.e2e.conftest import login
from tests.worker import run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def mail_to(smtp_server, address: str) -> list:
    return [message for message in smtp_server.messages if address in message["To"]]


def first_link(message, live_server, label: str) -> str:
    """The address after ``label`` in the e-mail's plain text."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(re.escape(label) + r"\S*:?\s+(" + re.escape(live_server.url) + r"/\S+)", text).group(1)


def test_start_a_plan_invite_the_board_and_get_a_delaftale_approved(live_server, new_page, smtp_server, settings):
    settings.SITE_URL = live_server.url
    call_command("load_demo", "--reference-only")
    # The administrator's only step: one user may create plans.
    creator = get_user_model().objects.create_user("sara", email="sara@example.dk", password="hemmelig-kode-1",
                                                   first_name="Sara", last_name="Sekretær")
    # (get_or_create: the migration made the group, but a transactional test before this one may have
    # emptied the tables)
    creator.groups.add(Group.objects.get_or_create(name=PLAN_CREATORS_GROUP)[0])

    page = new_page()
    login(page, live_server, "sara@example.dk")

    # The organisations the plan needs
    for name, kind in [("Boligselskabet Engen", "Boligorganisation"), ("Engby Kommune", "Kommune/forvaltning")]:
        page.goto(f"{live_server.url}/organisationer/ny/")
        page.locator("#id_name").fill(name)
        page.locator("#id_kind").select_option(label=kind)
        page.get_by_role("button", name=re.compile("Gem|Opret")).click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()

    # Ny helhedsplan
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Ny helhedsplan").click()
    page.get_by_label("Pulje").select_option(label="2019-26-midlerne")
    page.get_by_role("button", name="Fortsæt").click()
    page.get_by_label("Navn på indsatsen").fill("Tryg i Engen")
    page.get_by_label("Gælder fra").fill("2025-01-01")
    page.get_by_label("Gælder til").fill("2028-12-31")
    page.get_by_label("LBF journalnummer").fill("2025-123")
    page.get_by_label("Administrerende boligorganisation").select_option(label="Boligselskabet Engen")
    page.get_by_label("Kommune").select_option(label="Engby Kommune")
    page.get_by_label("Uddannelse og livschancer").check()
    page.get_by_label("Boligområdets navn").fill("Engen")
    page.get_by_label("Afdelingernes boligorganisation").select_option(label="Boligselskabet Engen")
    page.get_by_label("Afdelinger", exact=True).fill("12 Engparken\n14 Engtoften")
    page.get_by_role("button", name="Opret helhedsplan").click()
    expect(page.get_by_role("heading", name="Tryg i Engen")).to_be_visible()
    delaftale = SubAgreement.objects.get(plan__name="Tryg i Engen")
    assert PlanMembership.objects.get(plan=delaftale.plan).user == creator
    assert [d.number for d in delaftale.plan.housing_areas.get().departments.order_by("number")] == ["12", "14"]

    # The team: invite a bestyrelse member
    page.get_by_role("link", name="Team").click()
    page.get_by_label("E-mail").fill("bo.bestyrelse@example.dk")
    page.get_by_label("Rolle").select_option(label="Bestyrelse")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("bo.bestyrelse@example.dk").first).to_be_visible()
    assert mail_to(smtp_server, "bo.bestyrelse@example.dk") == [], "sent by the worker, not the request"
    run_worker()
    [invitation] = mail_to(smtp_server, "bo.bestyrelse@example.dk")
    assert "List-Unsubscribe" in invitation

    # The new member follows the link and sets a password
    board = new_page()
    board.goto(first_link(invitation, live_server, "Åbn i Helhedsplan"))
    board.get_by_label("Fornavn").fill("Bo")
    board.get_by_label("Efternavn").fill("Bestyrelse")
    board.locator("#id_password1").fill("Engen-er-tryg-2025")
    board.locator("#id_password2").fill("Engen-er-tryg-2025")
    board.get_by_role("button", name="Opret bruger og tag imod").click()
    expect(board.get_by_text("Du er nu med i Tryg i Engen som bestyrelse.")).to_be_visible()
    member = get_user_model().objects.get(email="bo.bestyrelse@example.dk")
    assert PlanMembership.objects.get(plan=delaftale.plan, user=member).role == PlanMembership.Role.BOARD

    # The secretariat sends the delaftale to the bestyrelse
    page.goto(f"{live_server.url}{delaftale.get_absolute_url()}")
    page.get_by_role("button", name="Send til behandling i bestyrelsen").click()
    expect(page.get_by_text("Dokumentet er sendt til behandling i bestyrelsen.").first).to_be_visible()
    run_worker()
    [notice] = [m for m in mail_to(smtp_server, "bo.bestyrelse@example.dk") if "Til behandling" in m["Subject"]]
    assert ".pdf" in notice.get_body(preferencelist=("plain",)).get_content()

    # The member follows the e-mail's link and approves
    board.goto(first_link(notice, live_server, "Åbn i Helhedsplan"))
    board.get_by_label("Dato for bestyrelsesmødet").fill(date.today().isoformat())
    board.get_by_label("Referat (reference)").fill("Referat af bestyrelsesmødet, pkt. 2")
    board.get_by_role("button", name="Godkend").click()
    expect(board.get_by_text("Godkendt. Version 1 er nu den gældende.")).to_be_visible()
    approval = Approval.objects.get(sub_agreement=delaftale)
    assert approval.approved_by == member
    delaftale.refresh_from_db()
    assert document_state(delaftale).is_approved

    # The secretariat hears of it
    run_worker()
    assert [m for m in mail_to(smtp_server, "sara@example.dk") if "Godkendt" in m["Subject"]]
