"""Admin imports are all-or-nothing: a file with any bad row writes nothing and lists every bad row."""

import pytest
import tablib

from agreements.models import Activity, Contact, Organisation
from agreements.resources import ActivityResource, ContactResource, OrganisationResource
from tests.demo import without_demo
from tests.factories.agreements import OrganisationFactory, SubAgreementFactory

pytestmark = pytest.mark.django_db


def test_organisation_import_with_a_bad_row_writes_nothing():
    dataset = tablib.Dataset(headers=["navn", "kort navn", "type", "adresse", "hjemmeside"])
    dataset.append(["Boligselskabet Syd", "BS", "boligorganisation", "", ""])
    dataset.append(["Foreningen Fællesskab", "", "ukendt-type", "", ""])
    dataset.append(["Virksomheden A/S", "", "virksomhed", "", "ikke en adresse"])
    result = OrganisationResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    assert {row.number for row in result.invalid_rows} == {2, 3}
    assert not without_demo(Organisation).exists()


def test_contact_import_with_unknown_organisation_writes_nothing():
    OrganisationFactory(name="Sorø Kommune")
    dataset = tablib.Dataset(headers=["organisation", "navn", "funktion", "e-mail", "telefon"])
    dataset.append(["Sorø Kommune", "Birthe Holm", "Leder", "birthe@example.dk", ""])
    dataset.append(["Findes Ikke Kommune", "Ole Berg", "Chef", "ole@example.dk", ""])
    result = ContactResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not without_demo(Contact).exists()


def test_good_contact_import_writes_rows():
    OrganisationFactory(name="Sorø Kommune")
    dataset = tablib.Dataset(headers=["organisation", "navn", "funktion", "e-mail", "telefon"])
    dataset.append(["Sorø Kommune", "Birthe Holm", "Leder", "birthe@example.dk", ""])
    result = ContactResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert without_demo(Contact).get().title == "Leder"


def test_activity_export_import_round_trip_and_bad_delaftale():
    sub_agreement = SubAgreementFactory()
    key = f"{sub_agreement.plan.slug}/{sub_agreement.focus_area.slug}"
    dataset = tablib.Dataset(headers=["delaftale", "aktivitetsnavn", "formål"])
    dataset.append([key, "Lektiecafé", "Faglighed"])
    dataset.append(["ukendt/plan", "Fodbold", "Fællesskab"])
    result = ActivityResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not without_demo(Activity).exists()

    good = tablib.Dataset(headers=["delaftale", "aktivitetsnavn", "kort beskrivelse", "formål"])
    good.append([key, "Lektiecafé", "lektiehjælp to gange om ugen", "Faglighed"])
    result = ActivityResource().import_data(good, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    exported = ActivityResource().export(queryset=without_demo(Activity))
    assert exported.dict[0]["delaftale"] == key
    assert exported.dict[0]["aktivitetsnavn"] == "Lektiecafé"
    assert exported.dict[0]["kort beskrivelse"] == "lektiehjælp to gange om ugen"


def test_export_escapes_formulae():
    sub_agreement = SubAgreementFactory()
    Activity.objects.create(sub_agreement=sub_agreement, name="=HYPERLINK(\"http://x\")")
    from django.test import override_settings

    with override_settings(IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT=True):
        from import_export.formats.base_formats import XLSX

        data = XLSX().export_data(ActivityResource().export())
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
