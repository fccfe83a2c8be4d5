"""Query budgets: every GET page within a fixed number of queries, and the same count at two sizes.

An N+1 regression (a query per activity, budget line, indicator, milestone, contact …) fails here.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, resolve, reverse

from agreements import plan_settings, services
from agreements.models import Clause, FocusArea, Milestone, Organisation, PlanMembership
from agreements.permissions import LBF_GROUP, PLAN_CREATORS_GROUP
from budgets.actuals import ActualEntry, actuals_save_year
from budgets.models import BudgetLine, PendingBudgetImport
from budgets.selectors import budget_sheet
from budgets.xlsx import write_budget_xlsx
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval, BoardMeeting
from helhedsplan.lbf.models import LbfExport
from helhedsplan.notifications.models import Kind
from helhedsplan.notifications.services import unsubscribe_token
from helhedsplan.team.models import Invitation
from helhedsplan.team.services import invitation_token
from tests.attachment_files import attach, png
from tests.factories.agreements import (
    ActivityFactory,
    AgreementPartyFactory,
    ClauseFactory,
    CommentFactory,
    ContactFactory,
    HousingAreaFactory,
    HousingDepartmentFactory,
    LbfExportFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanMembershipFactory,
    StaffResourceFactory,
    StrategicAgreementFactory,
    SubAgreementFactory,
    SubAgreementPartyFactory,
    UserFactory,
)
from tests.factories.approvals import AgendaItemFactory, BoardMeetingFactory
from tests.factories.budgets import BudgetFactory, BudgetFootnoteFactory, BudgetLineFactory
from tests.factories.indicators import IndicatorFactory, IndicatorValueFactory, SubGoalFactory
from tests.factories.team import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The waiting budgetark upload is a file in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"

APPROVED_ON = date(2023, 3, 1)


def build_plan(size: int):
    """A plan with two delaftaler, each with ``size`` activities, parties, staff, indicators and budget lines,
    plus what the later pages show (``_add_later_pages_data``)."""
    first = SubAgreementFactory()
    plan = first.plan
    second = SubAgreementFactory(plan=plan)
    budget = BudgetFactory(plan=plan)
    for sub_agreement in (first, second):
        sub_goal = SubGoalFactory(sub_agreement=sub_agreement)
        for index in range(size):
            activity = ActivityFactory(sub_agreement=sub_agreement)
            activity.housing_areas.set([])
            SubAgreementPartyFactory(sub_agreement=sub_agreement)
            StaffResourceFactory(sub_agreement=sub_agreement, function=f"Medarbejder {index}")
            indicator = IndicatorFactory(sub_goal=sub_goal)
            IndicatorValueFactory(indicator=indicator, year=plan.years[1])
            BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA,
                              focus_area=sub_agreement.focus_area, expense_type=None)
            BudgetLineFactory(budget=budget)
    user = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user
    _add_later_pages_data(plan, (first, second), budget, user, size)
    return plan, first, user


def _add_later_pages_data(plan, sub_agreements, budget, user, size: int) -> None:
    """Data for the pages added after the first budgets: only added, so what the lines above build is
    unchanged — a partner organisation that is a party to both delaftaler, with ``size`` activity contacts per
    delaftale,
    a strategic agreement with ``size`` parties, housing areas, milestones, comments, clauses, footnotes,
    LBF-udtræk, approvals of every document (several versions) with a change since, a published plan and a
    pending budget upload."""
    partner = OrganisationFactory(name=f"Partner {plan.slug}")
    strategic = StrategicAgreementFactory(plan=plan)
    parties = {sub_agreement.pk: SubAgreementPartyFactory(sub_agreement=sub_agreement, organisation=partner,
                                                          contacts=[ContactFactory(organisation=partner)])
               for sub_agreement in sub_agreements}
    for index in range(size):
        party_organisation = OrganisationFactory()
        AgreementPartyFactory(agreement=strategic, organisation=party_organisation,
                              contacts=[ContactFactory(organisation=party_organisation)])
        HousingDepartmentFactory(housing_area=HousingAreaFactory(plan=plan), organisation=partner)
        MilestoneFactory(plan=plan, status=Milestone.Status.DONE if index % 2 else Milestone.Status.PLANNED)
        ClauseFactory(created_by=user, category=Clause.Category.values[index % len(Clause.Category.values)])
        CommentFactory(plan=plan, author=user)
        BudgetFootnoteFactory(budget=budget, number=str(index + 1), order=index + 1, text=f"Fodnote {index + 1}.")
        for sub_agreement in sub_agreements:
            contact = ContactFactory(organisation=partner)
            MilestoneFactory(plan=plan, focus_area=sub_agreement.focus_area)
            CommentFactory(plan=plan, sub_agreement=sub_agreement, author=user)
            activity = sub_agreement.activities.order_by("order", "id")[index]
            activity.contacts.add(contact)
            activity.responsible_organisations.add(partner)
            party = parties[sub_agreement.pk]
            party.contacts.through.objects.create(party=party, contact=contact, order=index + 2)
    # An organisationsdiagram, and ``size`` PDF bilag of the plan and of each delaftale (before the approvals:
    # they are part of what is approved).
    attach(plan, user, kind="organisationsdiagram", title="Organisationsdiagram", content=png(60, 30))
    for index in range(size):
        attach(plan, user, title=f"Bilag {index + 1}")
        for sub_agreement in sub_agreements:
            attach(plan, user, title=f"Bilag {index + 1} til delaftalen", sub_agreement=sub_agreement)
    for _ in range(size):
        PlanMembershipFactory(plan=plan, role=PlanMembership.Role.BOARD)
        InvitationFactory(plan=plan, invited_by=user)
    lbf_user = UserFactory(username=lbf_username(plan))
    lbf_user.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    for _ in range(size):
        LbfExportFactory(requested_by=lbf_user, plan_slugs=[plan.slug], status=LbfExport.Status.DONE)
    # Approvals as the app records them (the PDF is left out): ``size`` versions of the strategic agreement
    # and the first delaftale, one of the second; then a change since the approval.
    for document, versions in ((strategic, size), (sub_agreements[0], size), (sub_agreements[1], 1), (budget, size)):
        for _ in range(versions):
            document.refresh_from_db()
            workflow.approval_record_external(document=document, recorded_by=user, meeting_date=APPROVED_ON,
                                              referat="Referat af bestyrelsesmøde, pkt. 3",
                                              approved_by_name="Bestyrelsen")
    strategic.refresh_from_db()
    services.strategic_agreement_save(agreement=strategic, expected_version=strategic.version,
                                      fields={"section_2_vision": "Et trygt og grønt boligområde."})
    first = sub_agreements[0]
    first.refresh_from_db()
    services.subagreement_save(sub_agreement=first, expected_version=first.version,
                               fields={"revision": "Bestyrelsen reviderer delaftalen hvert halve år."})
    plan_settings.plan_beredskabsplan_update(plan=plan, text="Ved kriser kontaktes sekretariatet.")
    plan_settings.plan_public_page_update(plan=plan, enabled=True, intro="Velkommen til helhedsplanen.")
    # A budgetark upload waiting for confirmation: today's budget, which then gains one line. The budgetark
    # numbers its indsatsområder with one or two digits, so the factory's order (a sequence that grows over a
    # test session) is brought back to 1 and 2 for the file to read back as the same lines in any test order.
    for number, sub_agreement in enumerate(sub_agreements, start=1):
        FocusArea.objects.filter(pk=sub_agreement.focus_area_id).update(order=number)
    data = write_budget_xlsx(budget_sheet(plan, empty_if_missing=True))
    pending = PendingBudgetImport(plan=plan, user=user, file_name="budgetark.xlsx",
                                  sha256=hashlib.sha256(data).hexdigest())
    pending.file.save("budgetark.xlsx", ContentFile(data))
    BudgetLineFactory(budget=budget, name="Tilføjet efter upload")
    # ``size`` bestyrelsesmøder; the first has every document of the plan on its agenda.
    for index in range(size):
        BoardMeetingFactory(plan=plan, created_by=user, date=date(2024, 3, 1 + index))
    first_meeting = BoardMeeting.objects.filter(plan=plan).order_by("date", "id").first()
    AgendaItemFactory(meeting=first_meeting, sub_agreement=None, strategic_agreement=strategic)
    for sub_agreement in sub_agreements:
        AgendaItemFactory(meeting=first_meeting, sub_agreement=sub_agreement)
    # Forbrug for every line in the plan's first two years, the first year closed and changed with a note.
    for year in plan.years[:2]:
        # (not the line added after the upload: the upload would remove it, and forbrug is never removed)
        entries = [ActualEntry(line, year, {"spent": Decimal(90), "bo_cash": Decimal(10)})
                   for line in BudgetLine.objects.filter(budget=budget).exclude(name="Tilføjet efter upload")]
        actuals_save_year(plan=plan, year=year, entries=entries, expected_version=0, closed=True, user=user)
        actuals_save_year(plan=plan, year=year, entries=entries[:1], expected_version=1, closed=False, user=user,
                          note="Genåbnet efter revision.")


def lbf_username(plan) -> str:
    return f"lbf-{plan.slug}"


def pages(plan, sub_agreement) -> dict[str, str]:
    """Every GET page of the app (downloads of PDFs aside) for ``build_plan``'s plan."""
    area = sub_agreement.focus_area.slug
    plan_kw = {"slug": plan.slug}
    sub_kw = {"slug": plan.slug, "area": area}
    partner = Organisation.objects.get(name=f"Partner {plan.slug}")
    lbf_export = LbfExport.objects.filter(requested_by__username=lbf_username(plan)).order_by("created_at").first()
    line = BudgetLine.objects.filter(budget__plan=plan).order_by("order", "id").first()
    strategic_approval = Approval.objects.get(plan=plan, kind=Approval.Kind.STRATEGIC, number=1)
    meeting = BoardMeeting.objects.filter(plan=plan).order_by("date", "id").first()
    return {
        "dashboard": reverse("agreements:plan_list"),
        "plan": reverse("agreements:plan_detail", kwargs=plan_kw),
        "delaftale": reverse("agreements:subagreement_detail", kwargs=sub_kw),
        "delaftale editor": reverse("agreements:subagreement_edit", kwargs=sub_kw),
        "strategic editor": reverse("agreements:strategic_edit", kwargs=plan_kw),
        "budget": reverse("budgets:sheet", kwargs=plan_kw),
        "indicators plan": reverse("indicators:plan", kwargs=plan_kw),
        "indicators delaftale": reverse("indicators:subagreement", kwargs=sub_kw),
        "indicator entry": reverse("indicators:enter_plan", kwargs=plan_kw),
        # Pages added later (every new page joins the query budget).
        "plan history": reverse("agreements:plan_history", kwargs=plan_kw),
        "new delaftale": reverse("agreements:subagreement_new", kwargs=plan_kw),
        "delaftale history": reverse("agreements:subagreement_history", kwargs=sub_kw),
        "delaftale changes": reverse("agreements:subagreement_changes", kwargs=sub_kw),
        "delaftale approval": reverse("agreements:subagreement_approval", kwargs={**sub_kw, "number": 1}),
        "new activity": reverse("agreements:activity_new", kwargs=sub_kw),
        "activity editor": reverse("agreements:activity_edit", kwargs={
            **sub_kw, "pk": sub_agreement.activities.order_by("order", "id").first().pk}),
        "strategic": reverse("agreements:strategic_detail", kwargs=plan_kw),
        "strategic changes": reverse("agreements:strategic_changes", kwargs=plan_kw),
        "strategic approval": reverse("agreements:strategic_approval", kwargs={
            **plan_kw, "number": strategic_approval.number}),
        "milestones": reverse("agreements:milestone_list", kwargs=plan_kw),
        "attachments": reverse("agreements:attachment_list", kwargs=plan_kw),
        "new milestone": reverse("agreements:milestone_new", kwargs=plan_kw),
        "milestone editor": reverse("agreements:milestone_edit", kwargs={
            **plan_kw, "milestone": Milestone.objects.filter(plan=plan).order_by("due_date", "id").first().pk}),
        "milepaelsplan": reverse("documents:milestone_document", kwargs=plan_kw),
        "beredskabsplan": reverse("agreements:beredskabsplan", kwargs=plan_kw),
        "public settings": reverse("agreements:public_settings", kwargs=plan_kw),
        "meetings": reverse("agreements:meeting_list", kwargs=plan_kw),
        "new meeting": reverse("agreements:meeting_new", kwargs=plan_kw),
        "meeting": reverse("agreements:meeting_detail", kwargs={**plan_kw, "pk": meeting.pk}),
        "meeting editor": reverse("agreements:meeting_edit", kwargs={**plan_kw, "pk": meeting.pk}),
        "public plan": reverse("agreements:public_plan", kwargs=plan_kw),
        "lbf overview": reverse("agreements:lbf_overview"),
        "budget changes": reverse("budgets:budget_changes", kwargs=plan_kw),
        "budget section grid": reverse("budgets:section_grid", kwargs={**plan_kw, "section": area}),
        "budget approval": reverse("budgets:budget_approval", kwargs={**plan_kw, "number": 1}),
        "exports": reverse("agreements:lbf_export_list"),
        "export status": reverse("agreements:lbf_export_status", kwargs={"pk": lbf_export.pk}),
        "clauses": reverse("agreements:clause_list"),
        "new clause": reverse("agreements:clause_new"),
        "clause editor": reverse("agreements:clause_edit", kwargs={
            "pk": Clause.objects.filter(created_by__plan_memberships__plan=plan).order_by("id").first().pk}),
        "organisations": reverse("agreements:organisation_list"),
        "organisation": reverse("agreements:organisation_detail", kwargs={"pk": partner.pk}),
        "new organisation": reverse("agreements:organisation_new"),
        "organisation editor": reverse("agreements:organisation_edit", kwargs={"pk": partner.pk}),
        "contact": reverse("agreements:contact_detail", kwargs={"pk": partner.contacts.order_by("id").first().pk}),
        "new contact": reverse("agreements:contact_new"),
        "contact editor": reverse("agreements:contact_edit", kwargs={
            "pk": partner.contacts.order_by("id").first().pk}),
        "document samarbejdsaftale": reverse("documents:samarbejdsaftale", kwargs=plan_kw),
        "document delaftale": reverse("documents:delaftale", kwargs=sub_kw),
        "document budgetark": reverse("documents:budget", kwargs=plan_kw),
        "document samlet plan": reverse("documents:samlet", kwargs=plan_kw),
        # The Word files are written in the request from the documents' own context.
        "word samarbejdsaftale": reverse("documents:samarbejdsaftale_docx", kwargs=plan_kw),
        "word delaftale": reverse("documents:delaftale_docx", kwargs=sub_kw),
        "word budgetark": reverse("documents:budget_docx", kwargs=plan_kw),
        "word samlet plan": reverse("documents:samlet_docx", kwargs=plan_kw),
        "word import": reverse("documents:word_import", kwargs=plan_kw),
        "budget download": reverse("budgets:download", kwargs=plan_kw),
        "budget upload preview": reverse("budgets:preview", kwargs={
            **plan_kw, "pk": PendingBudgetImport.objects.get(plan=plan).pk}),
        "new budget line": reverse("budgets:line_add", kwargs=plan_kw),
        "budget line editor": reverse("budgets:line_edit", kwargs={**plan_kw, "pk": line.pk}),
        "budget line delete": reverse("budgets:line_delete", kwargs={**plan_kw, "pk": line.pk}),
        "footnotes": reverse("budgets:footnotes", kwargs=plan_kw),
        "indicator entry delaftale": reverse("indicators:enter_subagreement", kwargs=sub_kw),
        "indicator import": reverse("indicators:import", kwargs=plan_kw),
        "indicator export": reverse("indicators:export", kwargs=plan_kw),
        "okonomiopfolgning": reverse("budgets:followup", kwargs=plan_kw),
        "forbrug entry": reverse("budgets:actuals_enter", kwargs=plan_kw) + f"?aar={plan.years[0]}",
        "forbrug import": reverse("budgets:actuals_import", kwargs=plan_kw),
        "forbrug download": reverse("budgets:actuals_download", kwargs=plan_kw),
        "document okonomiopfolgning": reverse("documents:okonomiopfolgning", kwargs=plan_kw),
        "notifications": reverse("notifications:list"),
        "notification preferences": reverse("notifications:preferences"),
        "unsubscribe": reverse("notifications:unsubscribe", args=[
            unsubscribe_token(kinds=[Kind.COMMENT], email="modtager@example.dk")]),
        "login": reverse("login"),
        "healthz": reverse("healthz"),
        "new plan": reverse("agreements:plan_new") + "?pulje=2019-26",
        "team": reverse("team:team", kwargs=plan_kw),
        "invitation": reverse("team:accept", kwargs={
            "token": invitation_token(Invitation.objects.filter(plan=plan).order_by("pk").first())}),
        "profile": reverse("accounts:profile"),
        "password change": reverse("password_change"),
        "password change done": reverse("password_change_done"),
        "password reset": reverse("password_reset"),
        "password reset sent": reverse("password_reset_done"),
        "password reset link": reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "forkert"}),
        "password reset complete": reverse("password_reset_complete"),
    }


# Routes that are no page to budget: POST-only actions, and PDF/ZIP downloads (rendered once per plan
# revision and cached, or served from a file; their documents' HTML is budgeted above).
NOT_PAGES = {
    "agreements:plan_comment", "agreements:subagreement_comment", "agreements:activity_restore",
    "agreements:subagreement_submit", "agreements:subagreement_return", "agreements:subagreement_approve",
    "agreements:strategic_submit", "agreements:strategic_return", "agreements:strategic_approve",
    "agreements:strategic_lbf_approval", "agreements:plan_export", "agreements:milestone_delete",
    "agreements:meeting_approve", "agreements:attachment_delete", "agreements:attachment_download",
    "budgets:upload", "budgets:budget_submit", "budgets:budget_return", "budgets:budget_approve",
    "budgets:budget_approval_pdf", "logout", "notifications:open", "notifications:mark_all_read",
    "team:invite", "team:resend", "team:withdraw", "team:remove",
    "agreements:subagreement_approval_pdf", "agreements:strategic_approval_pdf",
    "documents:milestone_document_pdf", "agreements:lbf_export_download",
    "documents:samarbejdsaftale_pdf", "documents:delaftale_pdf", "documents:budget_pdf", "documents:samlet_pdf",
    "documents:okonomiopfolgning_pdf",
}
ANONYMOUS_PAGES = {"public plan", "login", "healthz", "password reset", "password reset sent",
                   "password reset link", "password reset complete", "invitation",
                   "unsubscribe"}
LBF_PAGES = {"lbf overview", "exports", "export status"}
CREATOR_PAGES = {"new plan"}


def log_in(client, plan, user, name: str) -> None:
    """The page's viewer: the public page anonymous, the LBF pages an LBF user, the rest the secretariat."""
    if name in ANONYMOUS_PAGES:
        client.logout()
    elif name in LBF_PAGES:
        client.force_login(type(user).objects.get(username=lbf_username(plan)))
    elif name in CREATOR_PAGES:
        creator, _ = type(user).objects.get_or_create(username="planopretter")
        creator.groups.add(Group.objects.get_or_create(name=PLAN_CREATORS_GROUP)[0])
        client.force_login(creator)
    else:
        client.force_login(user)


def count_queries(client, url: str) -> int:
    """Queries of a page, with per-process caches (content types) and the cached session warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def page_queries(client, plan, sub_agreement, user) -> dict[str, int]:
    counts = {}
    for name, url in pages(plan, sub_agreement).items():
        log_in(client, plan, user, name)
        counts[name] = count_queries(client, url)
    return counts


# Ceilings at a small fixed size: a regression of one query per object (activity, contact, milestone,
# line …) blows past them; growth itself is caught by the equal-at-two-sizes test below. The samarbejdsaftale
# and its snapshot (which the meeting pages read for the agenda's states) read the pulje's standard texts. The parties'
# contact persons cost one query per kind of party a page or an approval snapshot reads.
# Pages that compare documents with their approval snapshots read the documents' bilag as part of them (one
# query for the samarbejdsaftale's, one for all delaftaler's): the meeting pages, the LBF overview, the samlet plan.
MAX_QUERIES = {
    "dashboard": 71, "plan": 74, "delaftale": 43, "delaftale editor": 48, "strategic editor": 37,
    "budget": 36, "budget changes": 29, "budget approval": 12, "budget section grid": 15,
    "indicators plan": 30, "indicators delaftale": 30, "indicator entry": 30,
    "plan history": 28, "new delaftale": 10, "delaftale history": 20, "delaftale changes": 35,
    "delaftale approval": 10, "new activity": 24, "activity editor": 28, "strategic": 36,
    "strategic changes": 29, "strategic approval": 10,
    "milestones": 10, "attachments": 10, "new milestone": 10, "milestone editor": 10, "milepaelsplan": 10,
    "beredskabsplan": 8, "public settings": 8, "public plan": 4,
    "meetings": 8, "new meeting": 30, "meeting": 26, "meeting editor": 33,
    "lbf overview": 63, "exports": 8, "export status": 8,  # the overview lists the demo plans too
    "clauses": 6, "new clause": 6, "clause editor": 8,
    "organisations": 8, "organisation": 20, "new organisation": 6, "organisation editor": 8,
    "contact": 11, "new contact": 8, "contact editor": 8,
    "document samarbejdsaftale": 18, "document delaftale": 30, "document budgetark": 12, "document samlet plan": 42,
    "word samarbejdsaftale": 18, "word delaftale": 30, "word budgetark": 12, "word samlet plan": 42,
    "word import": 8,
    "budget download": 12, "budget upload preview": 65, "new budget line": 15, "budget line editor": 15,
    "budget line delete": 10, "footnotes": 10,
    "indicator entry delaftale": 20, "indicator import": 8, "indicator export": 8,
    "okonomiopfolgning": 20, "forbrug entry": 20, "forbrug import": 8, "forbrug download": 12,
    "document okonomiopfolgning": 12,
    "notifications": 6, "notification preferences": 6, "unsubscribe": 2,
    "login": 3, "healthz": 2,
    "new plan": 12, "team": 8, "invitation": 3, "profile": 5, "password change": 4, "password change done": 4,
    "password reset": 2, "password reset sent": 2, "password reset link": 2, "password reset complete": 2,
}


def _get_routes(patterns, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                names |= _get_routes(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace
                                     else prefix)
        elif pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_route_is_a_budgeted_page_or_no_page():
    """A new page joins the query budget: a route neither budgeted nor listed in NOT_PAGES fails here."""
    plan, sub_agreement, _ = build_plan(1)
    budgeted = {resolve(url.split("?")[0]).view_name for url in pages(plan, sub_agreement).values()}
    routes = _get_routes(get_resolver().url_patterns)
    assert routes - budgeted - NOT_PAGES == set(), "routes without a query budget"
    assert (budgeted | NOT_PAGES) - routes == set(), "budgeted or excluded routes that no longer exist"
    assert set(MAX_QUERIES) == set(pages(plan, sub_agreement))


def test_every_page_stays_within_its_query_budget(client):
    counts = page_queries(client, *build_plan(3))
    over = [f"{name}: {count} queries > {MAX_QUERIES[name]}" for name, count in counts.items()
            if count > MAX_QUERIES[name]]
    assert not over, "; ".join(over)


def test_query_count_does_not_grow_with_the_plan(client):
    """2 vs 8 of everything per delaftale. The small plan is measured before the large one is built, so the
    pages listing every plan, organisation, clause or export see more rows the second time too."""
    small = page_queries(client, *build_plan(2))
    large = page_queries(client, *build_plan(8))
    grown = [f"{name}: {small[name]} queries for 2 per delaftale, {large[name]} for 8"
             for name in small if small[name] != large[name] and name != "lbf overview"]
    assert not grown, "; ".join(grown)
    # The LBF overview lists every plan with the state of its documents: the live content of the approved
    # documents is read together, a few queries per plan (økonomi, section 5, the strategic agreement's
    # parts and bilag, the budget's lines, footnotes and indsatsområder), whatever the plan's size. The second
    # measurement lists one more plan than the first.
    assert large["lbf overview"] - small["lbf overview"] <= 10, (small["lbf overview"], large["lbf overview"])
