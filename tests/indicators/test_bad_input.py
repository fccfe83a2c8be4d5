"""Bad indicator-value files, as a careless or hostile user uploads them: each refused on the import page
(HTTP 400) with a Danish message naming the row and the file's own column, and nothing written."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import PlanMembership
from indicators.models import IndicatorValue
from tests import spreadsheets
from tests.factories.agreements import PlanMembershipFactory

from .test_import import HEADERS, plan, xlsx  # noqa: F401 - the plan fixture

pytestmark = pytest.mark.django_db

CONTROL = "Teksten indeholder et usynligt styretegn"
TOO_LONG = "Denne værdi må højst have 5000 tegn"
GOOD = ["motalavej", "Uddannelse og livschancer", "Andel 1-5-årige i dagtilbud", 2023]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


CASES = {
    # file name, bytes, the message (after tags are stripped)
    "comma csv with an unquoted decimal comma": (
        "v.csv", csv_bytes("plan,indsatsområde,indikator,år,værdi,note",
                           "motalavej,Uddannelse og livschancer,Andel 1-5-årige i dagtilbud,2023,12,5,"),
        "Række 2 har 7 felter adskilt med komma, men overskriftsrækken har 6. Står der et decimaltal med komma"),
    "header only (csv)": ("v.csv", csv_bytes(";".join(HEADERS)),
                          "Filen har ingen rækker med data, kun overskriftsrækken. Intet er importeret."),
    "header only (xlsx)": ("v.xlsx", xlsx([]),
                           "Filen har ingen rækker med data, kun overskriftsrækken. Intet er importeret."),
    "empty sheet": ("v.xlsx", spreadsheets.table([], []), "Filen har ingen overskriftsrække"),
    "empty file": ("v.csv", b"", "Den indsendte fil er tom."),
    "not utf-8": ("v.csv", "plan;år\nÆblegården;2023\n".encode("latin-1"),
                  "CSV-filen skal være gemt som UTF-8 (række 1 har et tegn, der ikke kan læses)"),
    "unbalanced quotes": ("v.csv", csv_bytes(";".join(HEADERS), 'motalavej;"Uddannelse;x;2023;1;'),
                          "Række 2: kolonne »indikator«: Kolonnen »indikator« er tom."),
    "NUL in a note (csv)": ("v.csv", csv_bytes(";".join(HEADERS), ";".join(map(str, GOOD)) + ";90;note\x00med NUL"),
                            f"Række 2: kolonne »note«: {CONTROL} (kode 00)"),
    "control character in a note (xlsx)": ("v.xlsx", xlsx([GOOD + [90, "note\x7f"]]),
                                           f"Række 2: kolonne »note«: {CONTROL} (kode 7F)"),
    "a 110.000-character note (csv)": ("v.csv", csv_bytes(";".join(HEADERS), ";".join(map(str, GOOD)) + ";90;"
                                       + "x" * 110_000),
                                       f"Række 2: kolonne »note«: {TOO_LONG} (den har 110000)."),
    "a 30.000-character note (xlsx)": ("v.xlsx", xlsx([GOOD + [90, "x" * 30_000]]),
                                       f"Række 2: kolonne »note«: {TOO_LONG} (den har 30000)."),
    "not a spreadsheet": ("v.xlsx", b"PK\x03\x04 not really a zip", "Filen kunne ikke læses"),
    "wrong type": ("v.pdf", b"%PDF-1.4", "Filen skal være et regneark (.xlsx) eller en CSV-fil (.csv)."),
    "empty rows keep their row numbers": ("v.xlsx", xlsx([GOOD + [90, ""], [None] * 6, [None] * 6,
                                                          GOOD[:3] + ["i år", 91, ""]]),
                                          "Række 5: kolonne »år«: »i år« er ikke et årstal."),
}


@pytest.fixture
def secretary(plan):  # noqa: F811
    return PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.mark.parametrize("case", list(CASES))
def test_import_page_refuses_with_a_danish_message_and_writes_nothing(client, plan, secretary, case):  # noqa: F811
    name, data, message = CASES[case]
    before = sorted(IndicatorValue.objects.values_list("pk", "value", "note"))
    client.force_login(secretary)
    response = client.post(reverse("indicators:import", args=[plan.slug]),
                           {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    text = page_text(response)
    assert " ".join(message.split()) in text, text[-1500:]
    assert sorted(IndicatorValue.objects.values_list("pk", "value", "note")) == before


def test_at_most_fifty_rows_are_listed(client, plan, secretary):  # noqa: F811
    rows = [GOOD[:3] + [f"år {index}", 1, ""] for index in range(120)]
    client.force_login(secretary)
    response = client.post(reverse("indicators:import", args=[plan.slug]),
                           {"file": SimpleUploadedFile("v.xlsx", xlsx(rows))})
    assert response.status_code == 400
    text = page_text(response)
    assert "Række 51: " in text and "Række 52: " not in text
    assert "… og 70 rækker mere, som ikke er kontrolleret: importen stopper efter 50 rækker med fejl." in text
    assert not IndicatorValue.objects.filter(indicator__goal__plan=plan).exists()
