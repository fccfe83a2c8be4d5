"""Admin: the value import/export pages of "Årlig opfølgning" work with the indicators resource."""

import pytest
from django.urls import reverse

from tests.demo import without_demo
from tests.factories.indicators import IndicatorValueFactory

pytestmark = pytest.mark.django_db


def test_value_import_and_export_pages_render(client, staff_user):
    value = IndicatorValueFactory()
    client.force_login(staff_user)
    assert client.get(reverse("admin:indicators_indicatorvalue_import")).status_code == 200
    response = client.get(reverse("admin:indicators_indicatorvalue_export"))
    assert response.status_code == 200
    response = client.get(reverse("admin:indicators_indicatorvalue_changelist"), {"q": value.indicator.text[:10]})
    assert value.indicator.text in response.content.decode()


def test_admin_import_confirms_and_writes(client, staff_user):
    import io
    import re

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.models import IndicatorValue

    value = IndicatorValueFactory(year=2023)
    indicator = value.indicator
    book = openpyxl.Workbook()
    book.active.append(["plan", "indsatsområde", "indikator", "år", "værdi", "note"])
    book.active.append([indicator.plan.slug, indicator.focus_area.name, indicator.text, 2024, "77,5", "Ny"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(staff_user)
    page = client.get(reverse("admin:indicators_indicatorvalue_import")).content.decode()
    xlsx_choice = re.search(r'<option value="(\d+)">xlsx</option>', page).group(1)
    response = client.post(reverse("admin:indicators_indicatorvalue_import"), {
        "format": xlsx_choice, "import_file": SimpleUploadedFile("v.xlsx", buffer.getvalue())})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.content.decode()[:3000]
    response = client.post(reverse("admin:indicators_indicatorvalue_process_import"), confirm.initial)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == 77.5


# --- bounds: the admin's import refuses a file over the import limits before reading it -----------

HEADERS = ["plan", "indsatsområde", "indikator", "år", "værdi", "note"]


def _row(indicator, year: int = 2024) -> list:
    return [indicator.plan.slug, indicator.focus_area.name, indicator.text, year, "77,5", "Ny"]


def _table(indicator, count: int) -> bytes:
    from tests import spreadsheets

    return spreadsheets.table(HEADERS, (_row(indicator, 2022 + index % 4) for index in range(count)))


def _admin_cases():
    from tests import spreadsheets

    return {
        "unzipped size": (lambda ind: spreadsheets.with_notes_sheet(_table(ind, 1), kilobytes=1200), "v.xlsx", "xlsx",
                          "Filen er for stor udpakket: højst 1 MB (filen fylder 1,"),
        "rows": (lambda ind: _table(ind, 10_050), "v.xlsx", "xlsx",
                 "Filen er for stor: højst 10.000 rækker (filen har 10.051)."),
        "zip bomb": (lambda ind: spreadsheets.with_zip_bomb_part(_table(ind, 1)), "v.xlsx", "xlsx",
                     "Filen er pakket usædvanligt tæt: delen »xl/media/image1.bin« fylder"),
        "not a zip": (lambda ind: spreadsheets.NOT_A_ZIP, "v.xlsx", "xlsx",
                      "Filen kunne ikke læses: den er ikke en Excel-fil i .xlsx-format"),
        "csv rows": (lambda ind: spreadsheets.csv_lines(",".join(HEADERS), f"{ind.plan.slug},{ind.focus_area.name},"
                                                        f"{ind.text},2023,{{index}},", 10_050), "v.csv", "csv",
                     "Filen er for stor: højst 10.000 rækker (filen har 10.051)."),
    }


def _format_choice(page: str, title: str) -> str:
    import re

    return re.search(rf'<option value="(\d+)">{title}</option>', page).group(1)


@pytest.mark.parametrize("case", ["unzipped size", "rows", "zip bomb", "not a zip", "csv rows"])
def test_admin_import_refuses_a_file_over_a_limit_and_writes_nothing(client, staff_user, settings, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.models import IndicatorValue

    build, name, title, message = _admin_cases()[case]
    if case == "unzipped size":
        settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    indicator = IndicatorValueFactory(year=2023).indicator
    before = list(IndicatorValue.objects.values_list("pk", "year", "value"))
    client.force_login(staff_user)
    url = reverse("admin:indicators_indicatorvalue_import")
    choice = _format_choice(client.get(url).content.decode(), title)
    response = client.post(url, {"format": choice, "import_file": SimpleUploadedFile(name, build(indicator))})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'<option value="{choice}" selected>{title}</option>' in body  # the chosen format is kept
    assert len(response.context["form"].errors["import_file"]) == 1
    assert response.context.get("confirm_form") is None and response.context.get("result") is None
    assert list(IndicatorValue.objects.values_list("pk", "year", "value")) == before


def test_admin_import_reads_a_declared_huge_range_from_its_real_rows(client, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.models import IndicatorValue
    from tests import spreadsheets

    indicator = IndicatorValueFactory(year=2023).indicator
    data = spreadsheets.with_declared_dimension(spreadsheets.table(HEADERS, [_row(indicator, 2024)]))
    client.force_login(staff_user)
    url = reverse("admin:indicators_indicatorvalue_import")
    choice = _format_choice(client.get(url).content.decode(), "xlsx")
    response = client.post(url, {"format": choice, "import_file": SimpleUploadedFile("v.xlsx", data)})
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.content.decode()[:3000]
    response = client.post(reverse("admin:indicators_indicatorvalue_process_import"), confirm.initial)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).value == 77.5


def test_admin_confirmation_checks_the_stored_copy_again(client, staff_user, settings):
    """A confirmation naming another stored file than the one checked is refused before it is read."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from indicators.models import IndicatorValue

    indicator = IndicatorValueFactory(year=2023).indicator
    # Where the admin keeps an upload until it is confirmed (the default storage), swapped for a larger file.
    stored = default_storage.save("django-import-export/swapped.xlsx", ContentFile(_table(indicator, 10_050)))
    try:
        client.force_login(staff_user)
        url = reverse("admin:indicators_indicatorvalue_import")
        choice = _format_choice(client.get(url).content.decode(), "xlsx")
        response = client.post(reverse("admin:indicators_indicatorvalue_process_import"), {
            "import_file_name": stored.rsplit("/", 1)[-1], "original_file_name": "v.xlsx",
            "format": choice, "resource": "0"}, follow=True)
    finally:
        default_storage.delete(stored)
    assert response.redirect_chain[-1][0] == url
    assert "Filen er for stor: højst 10.000 rækker (filen har 10.051)." in response.content.decode()
    assert without_demo(IndicatorValue).count() == 1
