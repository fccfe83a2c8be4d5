"""The budget page: access, the sheet with findings, download, upload with preview, line edits."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import PlanMembership
from agreements.permissions import LBF_GROUP
from budgets.models import BudgetLine, PendingBudgetImport
from budgets.selectors import budget_content
from budgets.views import XLSX_TYPE
from tests.factories.agreements import PlanMembershipFactory, UserFactory

from .workbooks import export, exported_workbook, row_of, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user


@pytest.fixture
def board(small_plan):
    return PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.BOARD).user


def url(name, plan, *args):
    return reverse(f"budgets:{name}", args=[plan.slug, *args])


def upload_file(data: bytes, name: str = "budget.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


def test_sheet_page_lays_out_the_budgetark_with_findings(client, secretariat, small_plan):
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.lbf = 170
    line.save()
    client.force_login(secretariat)
    response = client.get(url("sheet", small_plan))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["Tværgående administrationsudgifter", "1. Uddannelse og livschancer", "2. Beskæftigelse",
                 "Lokal evaluering", "Boligsocial medarbejder 1", "(3 + 4)", "1. Administrativ bistand fra boligorg.",
                 "2.615", "6.319", "Samlet medfinansiering", "Medfinans. %", "Fordeling af medfinansiering i alt",
                 "Medarbejderens tid fordeles ca. 75 % på lektiehjælp.<br>Resten på forældresamarbejde."]:
        assert text in body, text
    assert "Udgiftsposten »Aktivitetsmidler« (1. Uddannelse og livschancer) balancerer ikke" in body
    assert f'id="linje-{line.pk}" class="line flag-error"' in body
    assert url("upload", small_plan) in body and url("line_edit", small_plan, line.pk) in body
    assert ">2022</th>" in body and "2.022" not in body


def test_readers_see_the_sheet_but_cannot_change_it(client, board, small_plan):
    lbf = UserFactory()
    lbf.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    line = small_plan.budget.lines.first()
    for user in (board, lbf):
        client.force_login(user)
        body = client.get(url("sheet", small_plan)).content.decode()
        assert "6.319" in body and url("upload", small_plan) not in body
        assert client.get(url("download", small_plan)).status_code == 200
        assert client.post(url("upload", small_plan), {"file": upload_file(export(small_plan))}).status_code == 403
        assert client.get(url("line_edit", small_plan, line.pk)).status_code == 403
        assert client.post(url("line_delete", small_plan, line.pk)).status_code == 403
        assert client.get(url("footnotes", small_plan)).status_code == 403
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_other_plans_answer_404_and_anonymous_users_go_to_login(client, small_plan):
    outsider = PlanMembershipFactory().user
    client.force_login(outsider)
    line = small_plan.budget.lines.first()
    for name, args in [("sheet", []), ("download", []), ("line_edit", [line.pk]), ("footnotes", [])]:
        assert client.get(url(name, small_plan, *args)).status_code == 404, name
    assert client.post(url("upload", small_plan), {"file": upload_file(b"x")}).status_code == 404
    client.logout()
    response = client.get(url("sheet", small_plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_download_is_the_budgetark(client, secretariat, small_plan):
    client.force_login(secretariat)
    response = client.get(url("download", small_plan))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="budgetark-faelles-fremtid.xlsx"'
    ws = load_workbook(io.BytesIO(response.content))["Budgetark"]
    assert row_of(ws, "Boligsocial medarbejder 1 (3 + 4)")


def test_upload_shows_the_changes_and_saves_only_on_confirmation(client, secretariat, small_plan):
    client.force_login(secretariat)
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    ws.cell(row_of(ws, "Fritidsjob"), 1).value = "Fritidsjob for alle"
    before = budget_content(small_plan)
    response = client.post(url("upload", small_plan), {"file": upload_file(to_bytes(workbook))})
    pending = PendingBudgetImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("preview", small_plan, pending.pk)
    assert budget_content(small_plan) == before

    body = client.get(response["Location"]).content.decode()
    assert "Udgiftsposter: 1 nye, 0 ændrede, 1 fjernede." in body
    assert "Fritidsjob for alle" in body and "Kontrol efter indlæsning" in body
    assert budget_content(small_plan) == before  # the preview's trial save was rolled back

    fingerprint = client.get(response["Location"]).context["fingerprint"]
    done = client.post(response["Location"], {"confirm": "1", "fingerprint": fingerprint})
    assert done.status_code == 302 and done["Location"] == url("sheet", small_plan)
    assert "Fritidsjob for alle" in [line.name for line in budget_content(small_plan).lines]
    assert not PendingBudgetImport.objects.exists()
    history = BudgetLine.history.filter(name="Fritidsjob for alle").get()
    assert history.history_user == secretariat


def test_confirmation_uses_the_stored_file_not_posted_data(client, secretariat, small_plan):
    client.force_login(secretariat)
    client.post(url("upload", small_plan), {"file": upload_file(export(small_plan))})
    pending = PendingBudgetImport.objects.get()
    preview = url("preview", small_plan, pending.pk)
    fingerprint = client.get(preview).context["fingerprint"]
    client.post(preview, {"confirm": "1", "fingerprint": fingerprint, "file": upload_file(b"evil"),
                          "content": "whatever"})
    assert budget_content(small_plan).lines[0].name == "Økonomistyring"


def test_confirmation_after_the_budget_changed_shows_the_changes_again(client, secretariat, small_plan):
    client.force_login(secretariat)
    client.post(url("upload", small_plan), {"file": upload_file(export(small_plan))})
    pending = PendingBudgetImport.objects.get()
    preview = url("preview", small_plan, pending.pk)
    fingerprint = client.get(preview).context["fingerprint"]
    line = small_plan.budget.lines.get(name="Fritidsjob")
    line.name = "Fritidsjob og sommerjob"
    line.save()
    response = client.post(preview, {"confirm": "1", "fingerprint": fingerprint})
    assert response.status_code == 302 and response["Location"] == preview
    assert "Fritidsjob og sommerjob" in [line.name for line in budget_content(small_plan).lines]


def test_cancel_deletes_the_upload_and_changes_nothing(client, secretariat, small_plan):
    client.force_login(secretariat)
    before = budget_content(small_plan)
    client.post(url("upload", small_plan), {"file": upload_file(export(small_plan))})
    pending = PendingBudgetImport.objects.get()
    response = client.post(url("preview", small_plan, pending.pk), {"cancel": "1"})
    assert response.status_code == 302
    assert not PendingBudgetImport.objects.exists() and budget_content(small_plan) == before


def test_someone_elses_upload_is_not_found(client, secretariat, small_plan):
    client.force_login(secretariat)
    client.post(url("upload", small_plan), {"file": upload_file(export(small_plan))})
    pending = PendingBudgetImport.objects.get()
    colleague = PlanMembershipFactory(plan=small_plan, role=PlanMembership.Role.SECRETARIAT).user
    client.force_login(colleague)
    assert client.get(url("preview", small_plan, pending.pk)).status_code == 404
    assert client.post(url("preview", small_plan, pending.pk), {"confirm": "1"}).status_code == 404


def test_a_bad_file_is_refused_with_its_problems_and_nothing_is_kept(client, secretariat, small_plan):
    client.force_login(secretariat)
    workbook = exported_workbook(small_plan)
    ws = workbook["Budgetark"]
    row = row_of(ws, "Aktivitetsmidler")
    ws.cell(row, 4).value = "otte"
    before = budget_content(small_plan)
    response = client.post(url("upload", small_plan), {"file": upload_file(to_bytes(workbook))})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Budgetarket blev ikke indlæst" in body
    assert f"Ark »Budgetark«, række {row}, kolonne D (2023):" in body and "»otte« er ikke et tal." in body
    assert not PendingBudgetImport.objects.exists() and budget_content(small_plan) == before


def test_a_renamed_non_xlsx_upload_is_refused(client, secretariat, small_plan):
    client.force_login(secretariat)
    response = client.post(url("upload", small_plan), {"file": upload_file(b"Udgiftsposter;2022\n", "budget.xlsx")})
    assert response.status_code == 400
    assert "er ikke en Excel-fil i .xlsx-format" in response.content.decode()


def test_edit_a_line_with_amounts_per_year(client, secretariat, small_plan, areas):
    client.force_login(secretariat)
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    form = client.get(url("line_edit", small_plan, line.pk))
    assert form.status_code == 200 and 'name="amount_2022"' in form.content.decode()
    data = {"placement": f"indsatsomraade:{areas['job'].pk}", "name": "Aktivitetsmidler (beskæftigelse)",
            "footnote": "", "description": "", "amount_2022": "50", "amount_2023": "45", "amount_2024": "",
            "amount_2025": "45", "lbf": "140", "bo_cash": "0", "bo_hours": "0", "kom_cash": "0", "kom_hours": "0",
            "other": "0"}
    response = client.post(url("line_edit", small_plan, line.pk), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.focus_area == areas["job"] and line.amounts == {"2022": 50, "2023": 45, "2025": 45}
    assert line.history.first().history_user == secretariat


def test_line_form_refuses_footnote_markers_in_names_and_negative_amounts(client, secretariat, small_plan):
    client.force_login(secretariat)
    data = {"placement": "tvaergaaende", "name": "Revision (7)", "expense_type": "", "amount_2022": "-1",
            "lbf": "0", "bo_cash": "0", "bo_hours": "0", "kom_cash": "0", "kom_hours": "0", "other": "0"}
    response = client.post(url("line_add", small_plan), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "amount_2022" in errors
    data["amount_2022"] = "16"
    data["lbf"] = "16"
    response = client.post(url("line_add", small_plan), data)
    assert response.context["form"].errors["name"] == ["Skriv fodnotens nummer i feltet »fodnote(r)«, ikke i navnet."]
    data["name"] = "Revision"
    data["footnote"] = "(7)"
    response = client.post(url("line_add", small_plan), data)
    assert response.status_code == 302
    line = small_plan.budget.lines.get(name="Revision")
    assert line.footnote == "7" and line.section == "tvaergaaende" and line.amounts == {"2022": 16}


def test_delete_a_line(client, secretariat, small_plan):
    client.force_login(secretariat)
    line = small_plan.budget.lines.get(name="Fritidsjob")
    assert client.get(url("line_delete", small_plan, line.pk)).status_code == 200
    assert client.post(url("line_delete", small_plan, line.pk)).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert BudgetLine.history.filter(id=line.pk, history_type="-").get().history_user == secretariat


def test_edit_the_footnote_block(client, secretariat, small_plan):
    client.force_login(secretariat)
    form = client.get(url("footnotes", small_plan))
    assert "4) Medarbejderens tid fordeles" in form.content.decode()
    text = "1) Første.\n3) Tredje,\nover to linjer.\n4) Fjerde."
    assert client.post(url("footnotes", small_plan), {"text": text}).status_code == 302
    assert [(n.number, n.text) for n in budget_content(small_plan).footnotes] == [
        ("1", "Første."), ("3", "Tredje,\nover to linjer."), ("4", "Fjerde.")]
    bad = client.post(url("footnotes", small_plan), {"text": "uden nummer\n1) a"})
    assert "Linje 1: en fodnote begynder med sit nummer" in bad.content.decode()


def _opened_version(page) -> int:
    import re

    return int(re.search(r'name="budget_version" value="(\d+)"', page.content.decode()).group(1))


def test_a_line_saved_over_a_newer_budget_is_refused_keeping_what_was_typed(client, secretariat, small_plan):
    client.force_login(secretariat)
    line = small_plan.budget.lines.get(name="Fritidsjob")
    opened = _opened_version(client.get(url("line_edit", small_plan, line.pk)))
    # Somebody else changes another line of the budget meanwhile.
    other = small_plan.budget.lines.get(name="Aktivitetsmidler")
    client.post(url("footnotes", small_plan), {"text": "1) Ny fodnote.", "budget_version": opened})
    data = {"placement": "tvaergaaende", "name": "Fritidsjob (rettet)", "footnote": "", "description": "",
            "amount_2022": "7", "lbf": "7", "bo_cash": "0", "bo_hours": "0", "kom_cash": "0", "kom_hours": "0",
            "other": "0", "budget_version": opened}
    response = client.post(url("line_edit", small_plan, line.pk), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Budgettet er blevet ændret af en anden" in body and 'value="Fritidsjob (rettet)"' in body
    line.refresh_from_db()
    assert line.name == "Fritidsjob"
    # Saving again with the version the conflict showed is a deliberate overwrite.
    data["budget_version"] = _opened_version(response)
    assert client.post(url("line_edit", small_plan, line.pk), data).status_code == 302
    line.refresh_from_db()
    assert line.name == "Fritidsjob (rettet)" and other.pk != line.pk


def test_footnotes_saved_over_a_newer_budget_are_refused(client, secretariat, small_plan):
    client.force_login(secretariat)
    opened = _opened_version(client.get(url("footnotes", small_plan)))
    before = budget_content(small_plan).footnotes
    line = small_plan.budget.lines.get(name="Fritidsjob")
    data = {"placement": "tvaergaaende", "name": "Fritidsjob", "footnote": "", "description": "",
            "amount_2022": "7", "lbf": "7", "bo_cash": "0", "bo_hours": "0", "kom_cash": "0", "kom_hours": "0",
            "other": "0", "budget_version": opened}
    assert client.post(url("line_edit", small_plan, line.pk), data).status_code == 302
    response = client.post(url("footnotes", small_plan), {"text": "1) Min fodnote.", "budget_version": opened})
    assert response.status_code == 200
    assert "Budgettet er blevet ændret af en anden" in response.content.decode()
    assert "1) Min fodnote." in response.content.decode()
    assert budget_content(small_plan).footnotes == before
