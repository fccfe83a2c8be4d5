"""The budgetark's approval: kladde → til behandling → godkendt with its own snapshot, "godkendt" by
construction (the live budget equals the approved one), revisions as new versions, the changes since
the last approval, the LBF export as of a date and the KLADDE mark of the budgetark document."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import DocumentStatus, SubAgreement
from budgets import services as budget_services
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_content
from budgets.snapshots import snapshot_content
from budgets.xlsx import read_budget_xlsx
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.selectors import current_budget, plan_documents
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import builders
from helhedsplan.documents import services as document_services
from helhedsplan.lbf.export import export_lbf
from helhedsplan.notifications.models import Notification
from tests.agreements.workspace_data import build_workspace
from tests.factories.agreements import ActivityFactory, SubAgreementFactory
from tests.factories.budgets import BudgetLineFactory, ExpenseTypeFactory

pytestmark = pytest.mark.django_db

OLD_MEETING = date(2023, 3, 1)
NEW_MEETING = date(2024, 6, 1)
AREA = BudgetLine.Section.FOCUS_AREA


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ws(db):
    """Two delaftaler with a budget line each and a tværgående line; everything approved."""
    ws = build_workspace()
    ws.second = SubAgreementFactory(plan=ws.plan, initiative_name="Job i Toften")
    ActivityFactory(sub_agreement=ws.second, name="Jobcafé", order=1)
    ws.line = BudgetLineFactory(budget__plan=ws.plan, section=AREA, focus_area=ws.sub_agreement.focus_area,
                                name="Boligsocial medarbejder", lbf=300, bo_cash=100)
    ws.second_line = BudgetLineFactory(budget__plan=ws.plan, section=AREA, focus_area=ws.second.focus_area,
                                       name="Jobkonsulent", lbf=200, kom_cash=200)
    ws.admin_line = BudgetLineFactory(budget__plan=ws.plan, expense_type=ExpenseTypeFactory(code=7), name="Revision",
                                      amounts={"2022": 10, "2023": 10, "2024": 10, "2025": 10}, lbf=30, bo_cash=10)
    ws.budget = Budget.objects.get(plan=ws.plan)
    for document in (ws.sub_agreement, ws.second, ws.strategic, ws.budget):
        approve(ws, document, meeting=OLD_MEETING)
    return ws


def fresh(document):
    return type(document).objects.select_related("plan").get(pk=document.pk)


def approved(document) -> bool:
    return document_state(fresh(document)).is_approved


def approve(ws, document, *, meeting: date, referat: str = "Referat, pkt. 4") -> Approval:
    workflow.document_submit(document=fresh(document), by=ws.secretary)
    approval = document_services.document_approve(document=fresh(document), by=ws.board, meeting_date=meeting,
                                                  referat=referat)
    document_services.approval_fill_pdf(approval=approval)
    approval.refresh_from_db()
    return approval


def set_line(line: BudgetLine, **values) -> None:
    line = BudgetLine.objects.get(pk=line.pk)
    for name, value in values.items():
        setattr(line, name, value)
    budget_services.budget_line_save(line=line)


def test_the_budget_is_approved_with_its_own_snapshot(ws):
    approval = current_budget(ws.plan)
    assert approval.kind == Approval.Kind.BUDGET and approval.number == 1 and approval.budget_id == ws.budget.pk
    assert [line["name"] for line in approval.data["lines"]] == ["Revision", "Boligsocial medarbejder", "Jobkonsulent"]
    assert snapshot_content(approval.data) == budget_content(ws.plan)
    assert approved(ws.budget) and approval.read_pdf().startswith(b"%PDF")
    assert "Budgetark" in approval.html and "Godkendt af bestyrelsen 1. marts 2023" in approval.html


def test_a_change_in_one_section_unapproves_the_budget_and_only_that_delaftale(ws):
    set_line(ws.line, amounts={"2022": 150, "2023": 100, "2024": 100, "2025": 100}, lbf=350)
    assert not approved(ws.budget) and document_state(fresh(ws.budget)).code == DocumentStatus.DRAFT
    assert not approved(ws.sub_agreement), "its økonomi changed with the budget"
    assert approved(ws.second) and approved(ws.strategic)
    set_line(ws.line, amounts={"2022": 100, "2023": 100, "2024": 100, "2025": 100}, lbf=300)
    assert approved(ws.budget) and approved(ws.sub_agreement), "undoing the change makes both godkendt again"


def test_a_change_that_keeps_every_delaftales_figures_leaves_the_delaftaler_approved(ws):
    set_line(ws.admin_line, name="Revision og regnskab")  # tværgående: no delaftale's økonomi
    set_line(ws.line, bo_cash=50, bo_hours=50)  # the same total and the same local share
    assert not approved(ws.budget)
    assert approved(ws.sub_agreement) and approved(ws.second)


def test_every_write_path_counts_also_a_queryset_update(ws):
    BudgetLine.objects.filter(pk=ws.second_line.pk).update(kom_cash=100, kom_hours=100)
    assert not approved(ws.budget) and approved(ws.second)
    budget_services.budget_line_delete(line=BudgetLine.objects.get(pk=ws.admin_line.pk))
    assert not approved(ws.budget)


def test_a_revision_is_a_new_approved_version_and_as_of_finds_each(ws):
    set_line(ws.second_line, amounts={"2022": 200, "2023": 200, "2024": 0, "2025": 0}, lbf=200, kom_cash=200)
    with pytest.raises(Exception, match="kan ikke godkendes|sendt til behandling"):
        document_services.document_approve(document=fresh(ws.budget), by=ws.board, meeting_date=NEW_MEETING,
                                           referat="Referat")
    revision = approve(ws, ws.budget, meeting=NEW_MEETING)
    assert revision.number == 2 and approved(ws.budget)
    assert current_budget(ws.plan).pk == revision.pk
    assert current_budget(ws.plan, as_of=date(2024, 1, 1)).number == 1
    assert current_budget(ws.plan, as_of=date(2022, 6, 1)) is None


def test_an_approval_is_refused_when_the_budget_changed_after_the_approver_opened_it(ws):
    set_line(ws.line, name="Boligsocial medarbejder (fuld tid)")
    workflow.document_submit(document=fresh(ws.budget), by=ws.secretary)
    seen = fresh(ws.budget).version
    set_line(ws.admin_line, lbf=31, bo_cash=9)
    with pytest.raises(agreement_services.VersionConflict, match="Budgettet er blevet ændret"):
        document_services.document_approve(document=fresh(ws.budget), by=ws.board, meeting_date=NEW_MEETING,
                                           referat="Referat", expected_version=seen)
    assert current_budget(ws.plan).number == 1


def test_submitting_and_approving_the_budget_tell_the_bestyrelse_and_the_secretariat(ws):
    set_line(ws.admin_line, name="Revision af regnskab")
    workflow.document_submit(document=fresh(ws.budget), by=ws.secretary)
    notice = Notification.objects.filter(kind=Notification.Kind.SUBMITTED, user=ws.board).latest("pk")
    assert "budgetarket" in notice.subject + notice.body_text
    assert notice.url.endswith(reverse("budgets:sheet", args=[ws.plan.slug]))
    approval = document_services.document_approve(document=fresh(ws.budget), by=ws.board, meeting_date=NEW_MEETING,
                                                  referat="Referat")
    approved_notice = Notification.objects.get(kind=Notification.Kind.APPROVED, user=ws.secretary,
                                               event_key=f"approved:{approval.pk}")
    assert approved_notice.url.endswith(reverse("budgets:budget_approval", args=[ws.plan.slug, 2]))


def test_the_budgetark_document_says_kladde_only_while_the_budget_is_a_draft(ws):
    assert builders.budget_document(plan=ws.plan).context["approval"].date == OLD_MEETING
    assert builders.samlet_document(plan=ws.plan).context["approval"] is not None
    set_line(ws.admin_line, name="Revision af regnskab")
    assert builders.budget_document(plan=ws.plan).context["approval"] is None
    assert builders.samlet_document(plan=ws.plan).context["approval"] is None, "the samlet plan holds the budget"
    assert builders.delaftale_document(plan=ws.plan, area_slug=ws.second.focus_area.slug).context["approval"]


def test_the_as_of_lbf_export_carries_the_budget_approved_on_that_date(ws, tmp_path):
    approved_then = budget_content(ws.plan)
    set_line(ws.second_line, amounts={"2022": 300, "2023": 200, "2024": 200, "2025": 200}, lbf=500, kom_cash=400)
    approve(ws, ws.second, meeting=NEW_MEETING)
    approve(ws, ws.budget, meeting=NEW_MEETING)
    revised = budget_content(ws.plan)
    set_line(ws.admin_line, name="Et udkast, ingen har godkendt")

    def exported(as_of: date | None):
        output = tmp_path / f"{as_of}.zip"
        export_lbf(output=output, slugs=[ws.plan.slug], as_of=as_of)
        archive = zipfile.ZipFile(output)
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist() if "/" in name}
        return files, archive.read("README.txt").decode()

    old, readme = exported(date(2024, 1, 1))
    assert read_budget_xlsx(old["budgetark.xlsx"], plan=ws.plan).content == approved_then
    assert snapshot_content(json.loads(old["budgetark.json"])) == approved_then
    assert old["budgetark.pdf"] == current_budget(ws.plan, as_of=OLD_MEETING).read_pdf()
    assert "Budgetark: budgetark.xlsx, budgetark.pdf, budgetark.json – version 1" in readme

    new, _ = exported(NEW_MEETING)
    assert read_budget_xlsx(new["budgetark.xlsx"], plan=ws.plan).content == revised

    current, readme = exported(None)
    assert read_budget_xlsx(current["budgetark.xlsx"], plan=ws.plan).content == revised, "never today's draft"
    assert "Budgetarket er ændret siden seneste godkendelse" in readme


def test_an_export_without_an_approved_budget_leaves_the_draft_out_and_says_so(db, tmp_path):
    ws = build_workspace()
    BudgetLineFactory(budget__plan=ws.plan, name="Revision", expense_type=ExpenseTypeFactory(code=7), lbf=300,
                      bo_cash=100)
    approve(ws, ws.strategic, meeting=OLD_MEETING)
    export_lbf(output=tmp_path / "x.zip", slugs=[ws.plan.slug])
    archive = zipfile.ZipFile(tmp_path / "x.zip")
    assert not any("budgetark" in name for name in archive.namelist())
    assert "Budgetarket har ingen godkendt version og er ikke med." in archive.read("README.txt").decode()


# --- Pages -----------------------------------------------------------------------------------------------

def test_the_budget_page_shows_its_status_and_the_workflow(ws, client):
    client.force_login(ws.secretary)
    page = client.get(reverse("budgets:sheet", args=[ws.plan.slug])).content.decode()
    assert "Status og godkendelse" in page and "Godkendt" in page
    assert reverse("budgets:budget_approval", args=[ws.plan.slug, 1]) in page
    set_line(ws.admin_line, name="Revision af regnskab")
    page = client.get(reverse("budgets:sheet", args=[ws.plan.slug])).content.decode()
    assert "Der er ændringer siden den seneste godkendelse" in page and "Send til behandling i bestyrelsen" in page
    rows = {row.title: row for row in plan_documents(ws.plan)}
    assert rows["Budgetark"].state.changed_since_approval


def test_the_workflow_through_the_pages_and_the_roles(ws, client):
    set_line(ws.admin_line, name="Revision af regnskab")
    submit = reverse("budgets:budget_submit", args=[ws.plan.slug])
    client.force_login(ws.board)
    assert client.post(submit).status_code == 403, "the bestyrelse does not send"
    client.force_login(ws.secretary)
    assert client.post(submit).status_code == 302
    assert fresh(ws.budget).status == DocumentStatus.SUBMITTED
    approve_url = reverse("budgets:budget_approve", args=[ws.plan.slug])
    assert client.post(approve_url, {"meeting_date": "2024-06-01", "referat": "Pkt. 2",
                                     "version": fresh(ws.budget).version}).status_code == 403
    client.force_login(ws.board)
    response = client.post(approve_url, {"meeting_date": "2024-06-01", "referat": "Pkt. 2",
                                         "version": fresh(ws.budget).version}, follow=True)
    assert "Version 2 er nu den gældende" in response.content.decode()
    assert approved(ws.budget)
    page = client.get(reverse("budgets:budget_approval", args=[ws.plan.slug, 1])).content.decode()
    assert "Godkendt version 1" in page and "Revision" in page and "Revision af regnskab" not in page
    client.force_login(ws.outsider)
    assert client.get(reverse("budgets:budget_approval", args=[ws.plan.slug, 1])).status_code == 404


def test_changes_since_the_last_approval(ws, client):
    set_line(ws.line, amounts={"2022": 150, "2023": 100, "2024": 100, "2025": 100}, lbf=350)
    budget_services.budget_line_delete(line=BudgetLine.objects.get(pk=ws.admin_line.pk))
    BudgetLineFactory(budget=ws.budget, section=BudgetLine.Section.LOCAL_EVALUATION, name="Lokal evaluator",
                      amounts={"2025": 80}, lbf=40, bo_cash=40)
    client.force_login(ws.board)
    page = client.get(reverse("budgets:budget_changes", args=[ws.plan.slug])).content.decode()
    assert "Nye udgiftsposter (1)" in page and "Lokal evaluator" in page
    assert "Fjernede udgiftsposter (1)" in page and "<del><strong>Revision</strong></del>" in page
    assert "Ændrede udgiftsposter (1)" in page and "Boligsocial medarbejder" in page
    # Medfinans. % before: (100 + 200 + 10) / 840 = 36,9 %; after: (100 + 200 + 40) / 930 = 36,6 %.
    assert "36,9 %" in page and "36,6 %" in page and "-0,3 procentpoint" in page
    assert "+50" in page, "2022 and LBF of the changed line, 50 t.kr. more"


def test_a_plan_without_a_budget_has_no_budget_workflow(client, db):
    ws = build_workspace()
    client.force_login(ws.secretary)
    assert client.get(reverse("budgets:sheet", args=[ws.plan.slug])).status_code == 200
    assert client.get(reverse("budgets:budget_changes", args=[ws.plan.slug])).status_code == 404
    assert not SubAgreement.objects.filter(plan=ws.plan, status=DocumentStatus.SUBMITTED).exists()
