"""Admin: the value import/export pages of "Årlig opfølgning" work with the indicators resource."""

import pytest
from django.urls import reverse

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
