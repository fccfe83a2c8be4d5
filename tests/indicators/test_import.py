"""Import/export of follow-up values: good files write, bad files name the row and write nothing."""

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import FocusArea
from indicators import services
from indicators.models import IndicatorValue
from indicators.resources import IndicatorValueResource, plan_values_queryset
from tests import spreadsheets
from tests.demo import without_demo
from tests.factories.agreements import PlanFactory, SubAgreementFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = ["plan", "indsatsområde", "indikator", "år", "værdi", "note"]


@pytest.fixture
def plan():
    plan = PlanFactory(slug="motalavej", name="En Fælles Indsats", start_date=date(2022, 1, 1),
                       end_date=date(2025, 12, 31))
    area = FocusArea.objects.get(pulje=plan.pulje, name="Uddannelse og livschancer")  # reference data
    sub_agreement = SubAgreementFactory(plan=plan, focus_area=area)
    from agreements.models import PlanFocusArea
    PlanFocusArea.objects.get_or_create(plan=plan, focus_area=area)
    IndicatorFactory(sub_goal__sub_agreement=sub_agreement, text="Andel af unge, der opnår 02 i dansk")
    ActivityIndicatorFactory(sub_goal__sub_agreement=sub_agreement, text="Antal børnefamilier i HippHopp+")
    GoalIndicatorFactory(goal=GoalFactory(plan=plan, focus_area=area), text="Andel 1-5-årige i dagtilbud")
    return plan


def xlsx(rows: list[list], headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(plan, content: bytes, filename="opfoelgning.xlsx"):
    dataset = services.read_values_file(content=content, filename=filename)
    return services.indicator_values_import(plan=plan, dataset=dataset)


def test_good_xlsx_creates_and_updates_values(plan):
    existing = IndicatorValueFactory(indicator=plan.goals.get().indicators.get(), year=2022, value=D("88"))
    outcome = run(plan, xlsx([
        ["motalavej", "Uddannelse og livschancer", "Andel af unge, der opnår 02 i dansk", 2023, "82,5",
         "Skoleåret 22/23"],
        ["motalavej", "Uddannelse og livschancer", "antal børnefamilier i hipphopp+", "2024", 31, None],
        ["En Fælles Indsats", "uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2022, 4.6, ""],
        [None, None, None, None, None, None],  # trailing empty row
    ]))
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (2, 1)
    values = {(v.indicator.text, v.year): (v.value, v.note)
              for v in without_demo(IndicatorValue).select_related("indicator")}
    assert values == {
        ("Andel af unge, der opnår 02 i dansk", 2023): (D("82.5"), "Skoleåret 22/23"),
        ("Antal børnefamilier i HippHopp+", 2024): (D("31"), ""),
        ("Andel 1-5-årige i dagtilbud", 2022): (D("4.6"), ""),
    }
    existing.refresh_from_db()
    assert existing.history.count() == 2  # the update is recorded


def test_bad_rows_are_named_and_nothing_is_written(plan):
    before = IndicatorValueFactory(indicator=plan.goals.get().indicators.get(), year=2022, value=D("88"))
    outcome = run(plan, xlsx([
        ["motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2022, "91", ""],    # row 2: fine
        ["motalavej", "Uddannelse og livschancer", "Andel af unge, der opnår 02 i dansk", 2023, "mange", ""],
        ["motalavej", "Uddannelse og livschancer", "Antal børnefamilier i HippHopp+", 2030, 12, ""],
        ["motalavej", "Beskæftigelse", "Antal borgersamtaler", 2023, 150, ""],
        ["amager", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023, 90, ""],
        ["motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", "tyve", 90, ""],
    ]))
    assert not outcome.ok
    assert outcome.errors == [
        "Række 3: kolonne »værdi«: Værdien »mange« er ikke et tal (indikatorens enhed er »%«).",
        "Række 4: kolonne »år«: Året 2030 ligger uden for helhedsplanens periode (2022–2025).",
        "Række 5: kolonne »indikator«: Ukendt indikator »Antal borgersamtaler« under indsatsområdet "
        "»Beskæftigelse« i »En Fælles Indsats«.",
        "Række 6: kolonne »indikator«: Rækken hører til helhedsplanen »amager«, men der importeres til "
        "»En Fælles Indsats«.",
        "Række 7: kolonne »år«: »tyve« er ikke et årstal.",
    ]
    assert without_demo(IndicatorValue).count() == 1
    before.refresh_from_db()
    assert before.value == D("88")


def test_the_same_indicator_and_year_twice_is_an_error(plan):
    row = ["motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023]
    outcome = run(plan, xlsx([row + [90, ""], row + [91, ""]]))
    assert outcome.errors == ["Række 3: kolonne »år«: Indikatoren står flere gange i filen for året 2023."]
    assert not without_demo(IndicatorValue).exists()


def test_semicolon_csv_with_bom_is_read(plan):
    content = ("\ufeffplan;indsatsområde;indikator;år;værdi;note\n"
               "motalavej;Uddannelse og livschancer;Andel 1-5-årige i dagtilbud;2023;90,4;\n").encode()
    outcome = run(plan, content, filename="værdier.csv")
    assert outcome.ok, outcome.errors
    assert without_demo(IndicatorValue).get().value == D("90.4")


def test_unreadable_files_and_missing_columns_are_rejected(plan):
    with pytest.raises(ValidationError, match="Filen mangler kolonnen »år«"):
        services.read_values_file(content=xlsx([["motalavej", "Uddannelse og livschancer", "x", 1]],
                                               headers=["plan", "indsatsområde", "indikator", "værdi"]),
                                  filename="x.xlsx")
    with pytest.raises(ValidationError, match="kunne ikke læses"):
        services.read_values_file(content=b"not a zip file", filename="x.xlsx")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        services.read_values_file(content=b"", filename="x.pdf")
    with pytest.raises(ValidationError, match="UTF-8"):
        services.read_values_file(content="plan;år\næ".encode("latin-1"), filename="x.csv")


def test_text_values_are_kept_for_text_indicators(plan):
    sub_goal = plan.sub_agreements.get().sub_goals.first()
    IndicatorFactory(sub_goal=sub_goal, text="Beboernes egen vurdering", unit="andet")
    outcome = run(plan, xlsx([["motalavej", "Uddannelse og livschancer", "Beboernes egen vurdering", 2023,
                               "Mere tryg", ""]]))
    assert outcome.ok, outcome.errors
    value = without_demo(IndicatorValue).get()
    assert (value.value, value.value_text, value.display) == (None, "Mere tryg", "Mere tryg")


def test_export_then_import_is_exact(plan):
    indicator = plan.goals.get().indicators.get()
    IndicatorValueFactory(indicator=indicator, year=2023, value=D("90.4"), note="=HYPERLINK(\"x\")")
    IndicatorValueFactory(indicator=ActivityIndicatorFactory(sub_goal=plan.sub_agreements.get().sub_goals.first(),
                                                             text="Antal i lektiecafé"), year=2024, value=D(31))
    dataset = IndicatorValueResource(plan=plan).export(queryset=plan_values_queryset(plan))
    assert dataset.headers == HEADERS
    assert dataset.dict[0] == {"plan": "motalavej", "indsatsområde": "Uddannelse og livschancer",
                               "indikator": "Andel 1-5-årige i dagtilbud", "år": 2023, "værdi": 90.4,
                               "note": "=HYPERLINK(\"x\")"}
    content = services.indicator_values_export(plan=plan, file_format="xlsx")
    worksheet = openpyxl.load_workbook(io.BytesIO(content)).active
    sheet = list(worksheet.iter_rows(values_only=True))
    assert sheet[1] == ("motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023, 90.4,
                        '=HYPERLINK("x")')  # numbers stay numbers; the note is kept as text ...
    assert (worksheet["F2"].data_type, worksheet["F2"].quotePrefix) == ("s", True)  # ... never run
    csv = services.indicator_values_export(plan=plan, file_format="csv").decode("utf-8")
    assert csv.startswith("\ufeffplan;indsatsområde;indikator;år;værdi;note")
    assert "motalavej;Uddannelse og livschancer;Andel 1-5-årige i dagtilbud;2023;90,4;\"'=HYPERLINK" in csv
    assert run(plan, csv.encode("utf-8"), filename="x.csv").ok
    without_demo(IndicatorValue).update(value=D(1))
    outcome = run(plan, content)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (0, 2)
    assert sorted(without_demo(IndicatorValue).values_list("value", flat=True)) == [D("31"), D("90.4")]
    assert without_demo(IndicatorValue).get(year=2023).note == '=HYPERLINK("x")'


def test_admin_resource_without_plan_finds_plans_by_slug(plan):
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(["motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023, "90", ""])
    dataset.append(["findes-ikke", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023, "90", ""])
    outcome = services.indicator_values_import(plan=None, dataset=dataset)
    assert outcome.errors == ["Række 3: kolonne »indikator«: Ukendt helhedsplan »findes-ikke«."]
    assert not without_demo(IndicatorValue).exists()


# --- bounds: a file over the import limits is refused before it is read ---------------------------

def _row(plan, index: int = 0) -> list:
    return [plan.slug, "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2022 + index % 4, 90, "x"]


BOUND_CASES = {
    "unzipped size": (lambda plan: spreadsheets.with_notes_sheet(xlsx([_row(plan)]), kilobytes=1200), "v.xlsx",
                      "Filen er for stor udpakket: højst 1 MB (filen fylder 1,"),
    "rows": (lambda plan: spreadsheets.table(HEADERS, (_row(plan, i) for i in range(10_050))), "v.xlsx",
             "Filen er for stor: højst 10.000 rækker (filen har 10.051)."),
    "zip bomb": (lambda plan: spreadsheets.with_zip_bomb_part(xlsx([_row(plan)])), "v.xlsx",
                 "Filen er pakket usædvanligt tæt: delen »xl/media/image1.bin« fylder"),
    "not a zip": (lambda plan: spreadsheets.NOT_A_ZIP, "v.xlsx",
                  "Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format"),
    "csv rows": (lambda plan: spreadsheets.csv_lines(";".join(HEADERS), f"{plan.slug};Uddannelse og livschancer;"
                                                     "Andel 1-5-årige i dagtilbud;2023;{index};", 10_050),
                 "v.csv", "Filen er for stor: højst 10.000 rækker (filen har 10.051)."),
}


@pytest.fixture
def secretariat_client(client, plan):
    from agreements.models import PlanMembership
    from tests.factories.agreements import PlanMembershipFactory

    client.force_login(PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user)
    return client


@pytest.mark.parametrize("case", list(BOUND_CASES))
def test_import_view_refuses_a_file_over_a_limit_and_writes_nothing(secretariat_client, plan, settings, case):
    build, name, message = BOUND_CASES[case]
    if case == "unzipped size":
        settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    IndicatorValueFactory(indicator=plan.goals.get().indicators.get(), year=2022, value=D("88"))
    upload = SimpleUploadedFile(name, build(plan))
    response = secretariat_client.post(reverse("indicators:import", kwargs={"slug": plan.slug}), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'type="file"' in body
    assert list(without_demo(IndicatorValue).values_list("year", "value")) == [(2022, D("88"))]


def test_import_view_reads_a_declared_huge_range_from_its_real_rows(secretariat_client, plan):
    data = spreadsheets.with_declared_dimension(xlsx([_row(plan, 1), _row(plan, 2)]))
    response = secretariat_client.post(reverse("indicators:import", kwargs={"slug": plan.slug}),
                                       {"file": SimpleUploadedFile("v.xlsx", data)})
    assert response.status_code == 302
    assert sorted(without_demo(IndicatorValue).values_list("year", flat=True)) == [2023, 2024]
