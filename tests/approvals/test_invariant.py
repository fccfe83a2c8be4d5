""""Godkendt" holds by construction: every write path that changes approved content makes the document
a kladde again — in its state, on its pages, in its PDF and in the LBF export — and undoing the change
makes it godkendt again."""

from datetime import date

import pytest
import tablib
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from agreements import services
from agreements.models import Activity, DocumentStatus, StrategicAgreement, SubAgreement
from agreements.resources import ActivityResource
from budgets import services as budget_services
from budgets.models import BudgetLine
from helhedsplan.approvals import history
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import builders
from helhedsplan.lbf.export import plan_content
from indicators import services as indicator_services
from tests.agreements.workspace_data import build_workspace
from tests.factories.budgets import BudgetLineFactory
from tests.factories.indicators import IndicatorFactory, SubGoalFactory

MEETING = date(2024, 3, 12)


@pytest.fixture
def ws(db):
    """The workspace with a budget line and a delmål for the delaftale, both approved."""
    ws = build_workspace()
    sub = ws.sub_agreement
    ws.line = BudgetLineFactory(budget__plan=ws.plan, section=BudgetLine.Section.FOCUS_AREA,
                                focus_area=sub.focus_area, name="Boligsocial medarbejder", lbf=300, bo_cash=100)
    ws.indicator = IndicatorFactory(sub_goal=SubGoalFactory(sub_agreement=sub))
    for document in (sub, ws.strategic):
        workflow.document_submit(document=document, by=ws.secretary)
        workflow.document_approve(document=document, by=ws.board, meeting_date=MEETING, referat="Referat, pkt. 3")
    assert approved(sub) and approved(ws.strategic)
    return ws


def fresh(document):
    return type(document).objects.select_related("plan").get(pk=document.pk)


def approved(document) -> bool:
    return document_state(fresh(document)).is_approved


def stamp(ws) -> object:
    """What the delaftale's PDF prints: an approval mark, or None for "Kladde – ikke godkendt"."""
    return builders.delaftale_document(plan=ws.plan, area_slug=ws.sub_agreement.focus_area.slug).context["approval"]


def _form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[form.add_prefix(name)] = value.isoformat()
        else:
            data[form.add_prefix(name)] = str(value)
    return data


def admin_change_data(response) -> dict:
    """What the admin's change form posts back unchanged: the form, every inline and its management form."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def assert_kladde_everywhere(ws, client):
    sub = fresh(ws.sub_agreement)
    state = document_state(sub)
    assert not state.is_approved and state.code == DocumentStatus.DRAFT and state.changed_since_approval
    assert stamp(ws) is None
    assert [s.pk for s in plan_content(ws.plan).newer_drafts] == [sub.pk]
    client.force_login(ws.secretary)
    page = client.get(sub.get_absolute_url()).content.decode()
    assert "Der er ændringer siden den seneste godkendelse" in page


def test_the_approved_delaftale_prints_its_approval(ws):
    assert stamp(ws).date == MEETING
    assert plan_content(ws.plan).newer_drafts == []


def test_editor_change_and_undo(ws, client):
    sub = fresh(ws.sub_agreement)
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version,
                               fields={"revision": "Revideres hvert halve år."})
    assert_kladde_everywhere(ws, client)
    sub = fresh(sub)
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version,
                               fields={"revision": "Bestyrelsen reviderer delaftalen årligt."})
    assert approved(sub) and stamp(ws).date == MEETING


def test_admin_edit_of_a_delaftale(ws, client):
    client.force_login(ws.admin)
    sub = fresh(ws.sub_agreement)
    url = reverse("admin:agreements_subagreement_change", args=[sub.pk])
    data = admin_change_data(client.get(url))
    data["conflict_handling"] = "Ændret i administrationen."
    response = client.post(url, data)
    assert response.status_code == 302
    assert fresh(sub).conflict_handling == "Ændret i administrationen."
    assert_kladde_everywhere(ws, client)


def test_admin_edit_of_an_activity(ws, client):
    activity = ws.sub_agreement.activities.first()
    client.force_login(ws.admin)
    url = reverse("admin:agreements_activity_change", args=[activity.pk])
    data = admin_change_data(client.get(url))
    data["purpose"] = "Et nyt formål, skrevet i administrationen."
    assert client.post(url, data).status_code == 302
    assert Activity.objects.get(pk=activity.pk).purpose == "Et nyt formål, skrevet i administrationen."
    assert_kladde_everywhere(ws, client)


def test_admin_activity_import(ws, client):
    key = f"{ws.plan.slug}/{ws.sub_agreement.focus_area.slug}"
    dataset = tablib.Dataset(headers=["delaftale", "aktivitetsnavn", "formål"])
    dataset.append([key, "Ny aktivitet fra import", "Fællesskab"])
    result = ActivityResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert_kladde_everywhere(ws, client)


def test_strategic_agreement_change_needs_lbf_approval_until_recorded(ws):
    agreement = fresh(ws.strategic)
    StrategicAgreement.objects.filter(pk=agreement.pk).update(section_2_vision="En ny vision.")
    state = document_state(fresh(agreement))
    assert not state.is_approved and state.needs_lbf_approval
    workflow.document_submit(document=fresh(agreement), by=ws.secretary)
    approval = workflow.document_approve(document=fresh(agreement), by=ws.board, meeting_date=date(2024, 5, 1),
                                         referat="Referat, pkt. 5")
    state = document_state(fresh(agreement))
    assert state.is_approved and approval.requires_lbf_approval and state.needs_lbf_approval
    workflow.strategic_agreement_record_lbf_approval(approval=approval, by=ws.secretary,
                                                     lbf_approved_on=date(2024, 6, 1))
    assert not document_state(fresh(agreement)).needs_lbf_approval


def test_budget_line_edit_changes_the_delaftale_economy(ws, client):
    line = BudgetLine.objects.get(pk=ws.line.pk)
    line.amounts = {"2022": 150, "2023": 100, "2024": 100, "2025": 100}
    line.lbf = 350
    budget_services.budget_line_save(line=line)
    assert_kladde_everywhere(ws, client)
    line.amounts = {"2022": 100, "2023": 100, "2024": 100, "2025": 100}
    line.lbf = 300
    budget_services.budget_line_save(line=line)
    assert approved(ws.sub_agreement)


def test_budget_line_delete(ws, client):
    budget_services.budget_line_delete(line=BudgetLine.objects.get(pk=ws.line.pk))
    assert_kladde_everywhere(ws, client)


def test_indicator_edit(ws, client):
    indicator_services.indicator_update(indicator=ws.indicator, data_source="Kommunens egne tal")
    assert_kladde_everywhere(ws, client)


def test_delmaal_added(ws, client):
    indicator_services.sub_goal_create(sub_agreement=ws.sub_agreement, text="Flere unge i job")
    assert_kladde_everywhere(ws, client)


def test_queryset_update_bypasses_every_signal_and_still_counts(ws, client):
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(municipal_coherence="Skrevet direkte i databasen.")
    assert_kladde_everywhere(ws, client)
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(municipal_coherence=ws.sub_agreement.municipal_coherence)
    assert approved(ws.sub_agreement)


def test_bulk_create_of_an_activity(ws, client):
    bulk_create_with_history([Activity(sub_agreement=ws.sub_agreement, name="Masseoprettet", order=9)], Activity)
    assert_kladde_everywhere(ws, client)


def test_history_restore_undoes_a_deletion(ws, client):
    activity = ws.sub_agreement.activities.get(name="Familieklub")
    activity.delete()
    assert_kladde_everywhere(ws, client)
    deleted = history.deleted_activities(fresh(ws.sub_agreement))
    history.activity_restore(sub_agreement=fresh(ws.sub_agreement), history_id=deleted[0].history_id)
    assert approved(ws.sub_agreement)


def test_submitted_is_not_godkendt_and_an_unchanged_document_cannot_be_submitted(ws):
    with pytest.raises(Exception, match="uændret"):
        workflow.document_submit(document=fresh(ws.sub_agreement), by=ws.secretary)
    SubAgreement.objects.filter(pk=ws.sub_agreement.pk).update(revision="Ny revision.")
    workflow.document_submit(document=fresh(ws.sub_agreement), by=ws.secretary)
    state = document_state(fresh(ws.sub_agreement))
    assert state.is_submitted and not state.is_approved and state.label == "Til behandling i bestyrelsen"


def test_admin_edit_of_the_strategic_agreement(ws, client):
    client.force_login(ws.admin)
    url = reverse("admin:agreements_strategicagreement_change", args=[ws.strategic.pk])
    data = admin_change_data(client.get(url))
    data["section_7_evaluation"] = "Evalueringen er ændret i administrationen."
    assert client.post(url, data).status_code == 302
    state = document_state(fresh(ws.strategic))
    assert not state.is_approved and state.needs_lbf_approval
    assert builders.samarbejdsaftale_document(plan=ws.plan).context["approval"] is None


def test_the_pdf_itself_says_kladde_after_a_write_that_skips_every_signal(ws):
    from helhedsplan.documents import pdf
    from tests.documents.helpers import pdf_pages

    def first_page() -> str:
        document = builders.delaftale_document(plan=ws.plan, area_slug=ws.sub_agreement.focus_area.slug)
        return " ".join(pdf_pages(pdf.render_pdf(document.render_html()))[0].split())

    assert "Godkendt af bestyrelsen 12. marts 2024" in first_page()
    Activity.objects.filter(sub_agreement=ws.sub_agreement).update(locations="Et andet sted")
    page = first_page()
    assert "Kladde – ikke godkendt af bestyrelsen" in page and "Godkendt af bestyrelsen" not in page


def test_budget_import_that_changes_the_economy(ws, client):
    from django.db import transaction

    from budgets.selectors import budget_sheet
    from budgets.xlsx import write_budget_xlsx

    # A budgetark as LBF's template has it, with the delaftale's line 50 t.kr. higher in 2022.
    with transaction.atomic():
        BudgetLine.objects.filter(pk=ws.line.pk).update(
            amounts={"2022": 150, "2023": 100, "2024": 100, "2025": 100}, lbf=350)
        data = write_budget_xlsx(budget_sheet(ws.plan))
        transaction.set_rollback(True)
    assert approved(ws.sub_agreement)
    budget_services.budget_import_file(plan=ws.plan, data=data, file_name="budgetark.xlsx")
    assert_kladde_everywhere(ws, client)
