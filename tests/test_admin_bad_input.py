"""Bad files in the admin's import (django-import-export): each refused with a Danish message naming the
row and the file's own column, no confirmation offered, and nothing written."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Activity, Contact, Organisation
from budgets.models import BudgetLine
from tests import spreadsheets
from tests.factories.agreements import OrganisationFactory, SubAgreementFactory
from tests.factories.budgets import BudgetLineFactory

pytestmark = pytest.mark.django_db

MODELS = {"organisation": ("agreements", Organisation), "contact": ("agreements", Contact),
          "activity": ("agreements", Activity), "budgetline": ("budgets", BudgetLine)}


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def budget_line_file(line: BudgetLine, lbf: str) -> bytes:
    headers = ["id", "helhedsplan", "afsnit", "udgiftspost", "udgiftstype", "LBF"]
    return spreadsheets.table(headers, [[line.pk, line.budget.plan.slug, "Tværgående administrationsudgifter",
                                         line.name, 1, lbf]])


def activity_file(key: str, **cells) -> bytes:
    headers = ["delaftale", "aktivitetsnavn", *cells]
    return spreadsheets.table(headers, [[key, "Lektiecafé", *cells.values()]])


def key_of(sub_agreement) -> str:
    return f"{sub_agreement.plan.slug}/{sub_agreement.focus_area.slug}"


# model, format, file name, file (built from a budget line and a delaftale), message
CASES = {
    "csv not in utf-8": ("organisation", "csv", "o.csv", lambda ctx: csv("navn;type", "Ærø Boligselskab;bolig",
                                                                       encoding="latin-1"),
                         "CSV-filen skal være gemt som UTF-8 (række 2 har et tegn, der ikke kan læses)"),
    "header only": ("organisation", "csv", "o.csv", lambda ctx: csv("navn;type"),
                    "Filen har ingen rækker med data, kun overskriftsrækken. Intet er importeret."),
    "decimal comma in a comma file": ("organisation", "csv", "o.csv",
                                      lambda ctx: csv("navn,kort navn", "Bo 12,5,x"),
                                      "Række 2 har 3 felter adskilt med komma, men overskriftsrækken har 2."),
    "NUL in a name": ("organisation", "csv", "o.csv", lambda ctx: csv("navn;type", "Bo\x00lig;boligorganisation"),
                      "Teksten indeholder et usynligt styretegn (kode 00)"),
    "unknown organisation": ("contact", "xlsx", "c.xlsx",
                             lambda ctx: spreadsheets.table(["organisation", "navn"], [["Findes ikke", "Karen"]]),
                             "Ukendt organisation »Findes ikke«."),
    "unknown housing area": ("activity", "xlsx", "a.xlsx",
                             lambda ctx: activity_file(ctx["key"], **{"boligområder": "Atlantis"}),
                             "Ukendt boligområde: »Atlantis«."),
    "a decimal where a whole number is required (text)": (
        "budgetline", "xlsx", "b.xlsx", lambda ctx: budget_line_file(ctx["line"], "45,5"),
        "»45,5« er ikke et helt tal. Skriv et helt tal uden decimaler."),
    "a decimal where a whole number is required (number)": (
        "activity", "xlsx", "a.xlsx", lambda ctx: activity_file(ctx["key"], **{"rækkefølge": 2.5}),
        "»2,5« er ikke et helt tal."),
}


@pytest.fixture
def context(db):
    return {"line": BudgetLineFactory(lbf=400), "key": key_of(SubAgreementFactory())}


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, (_, model) in MODELS.items()}


def post_import(client, model: str, file_format: str, name: str, data: bytes):
    app = MODELS[model][0]
    url = reverse(f"admin:{app}_{model}_import")
    page = client.get(url).content.decode()
    assert "Fil til import" in page  # django-import-export speaks Danish (locale/da)
    choice = re.search(rf'<option value="(\d+)">{file_format}</option>', page).group(1)
    return client.post(url, {"format": choice, "import_file": SimpleUploadedFile(name, data)})


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.mark.parametrize("case", list(CASES))
def test_admin_import_refuses_with_a_danish_message_and_writes_nothing(client, staff_user, context, case):
    model, file_format, name, build, message = CASES[case]
    before = counts()
    line_lbf = context["line"].lbf
    client.force_login(staff_user)
    response = post_import(client, model, file_format, name, build(context))
    assert response.status_code == 200
    text = page_text(response)
    assert message in text, text[-2000:]
    assert response.context.get("confirm_form") is None  # nothing to confirm
    assert counts() == before
    context["line"].refresh_from_db()
    assert context["line"].lbf == line_lbf


def test_a_text_over_the_limit_is_refused_naming_the_column(client, staff_user, context):
    data = csv("delaftale;aktivitetsnavn;formål", f"{context['key']};Lektiecafé;" + "x" * 60_000)
    before = counts()
    client.force_login(staff_user)
    response = post_import(client, "activity", "csv", "a.csv", data)
    text = page_text(response)
    assert "formål" in text and "Denne værdi må højst have 50000 tegn" in text, text[-2000:]
    assert response.context.get("confirm_form") is None and counts() == before


def test_at_most_fifty_failing_rows_are_listed(client, staff_user, context):
    rows = [["Findes ikke", f"Person {index}"] for index in range(120)]
    data = spreadsheets.table(["organisation", "navn"], rows)
    client.force_login(staff_user)
    response = post_import(client, "contact", "xlsx", "c.xlsx", data)
    text = page_text(response)
    assert "… og 70 rækker mere, som ikke er kontrolleret: importen stopper efter 50 rækker med fejl." in text
    assert text.count("Ukendt organisation »Findes ikke«.") == 50
    assert response.context.get("confirm_form") is None
    assert not Contact.objects.filter(name__startswith="Person").exists()


def test_the_import_message_is_danish(client, staff_user):
    OrganisationFactory(name="Boligselskabet Syd")
    client.force_login(staff_user)
    data = csv("navn;type", "Boligselskabet Nord;boligorganisation")
    response = post_import(client, "organisation", "csv", "o.csv", data)
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:agreements_organisation_process_import"), confirm.initial, follow=True)
    assert "Importen er gennemført (organisationer): 1 nye, 0 opdaterede" in page_text(response)


@pytest.mark.parametrize("value, expected", [(45, 45), ("45", 45), ("1.234", 1234), (" 2 000 ", 2000), (45.0, 45),
                                             ("-3", -3), ("", None), (None, None)])
def test_whole_numbers_are_read_as_written(value, expected):
    from helhedsplan.importing import WholeNumberWidget

    assert WholeNumberWidget().clean(value) == expected


@pytest.mark.parametrize("value", ["45,5", 45.5, "1.5", "tolv", True, "1e400"])
def test_anything_else_is_refused_never_rounded(value):
    from helhedsplan.importing import WholeNumberWidget

    with pytest.raises(ValueError):
        WholeNumberWidget().clean(value)
