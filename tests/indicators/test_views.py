"""Follow-up pages, the one-sitting entry form, import/export views, and who may use them."""

import io
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import PlanMembership
from agreements.permissions import LBF_GROUP
from indicators.models import IndicatorValue
from tests.demo import without_demo
from tests.factories.agreements import PlanFactory, PlanMembershipFactory, SubAgreementFactory, UserFactory
from tests.factories.indicators import (
    ActivityIndicatorFactory,
    GoalFactory,
    GoalIndicatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    plan = PlanFactory(slug="fremtid", start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    sub_agreement = SubAgreementFactory(plan=plan)
    sub_goal = SubGoalFactory(sub_agreement=sub_agreement, text="Flere børn er skoleparate")
    share = IndicatorFactory(sub_goal=sub_goal, text="Andel skoleparate børn", order=1)
    count = ActivityIndicatorFactory(sub_goal=sub_goal, order=2)
    goal = GoalFactory(plan=plan, focus_area=sub_agreement.focus_area, text="Der skal ske et fagligt løft")
    fixed = GoalIndicatorFactory(goal=goal, text="Andel 1-5-årige i dagtilbud")
    IndicatorValueFactory(indicator=count, year=2023, value=D(31), source="Demodata")
    secretariat = PlanMembershipFactory(plan=plan, role=PlanMembership.Role.SECRETARIAT).user
    return {"plan": plan, "sub_agreement": sub_agreement, "share": share, "count": count, "fixed": fixed,
            "secretariat": secretariat}


def urls(s) -> dict[str, str]:
    plan, area = s["plan"].slug, s["sub_agreement"].focus_area.slug
    return {
        "plan": reverse("indicators:plan", kwargs={"slug": plan}),
        "subagreement": reverse("indicators:subagreement", kwargs={"slug": plan, "area": area}),
        "enter": reverse("indicators:enter_subagreement", kwargs={"slug": plan, "area": area}),
        "enter_plan": reverse("indicators:enter_plan", kwargs={"slug": plan}),
        "import": reverse("indicators:import", kwargs={"slug": plan}),
        "export": reverse("indicators:export", kwargs={"slug": plan}),
    }


def test_anonymous_users_are_sent_to_login(client, setup):
    for url in urls(setup).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_non_members_get_404_everywhere(client, setup):
    client.force_login(UserFactory())
    for url in urls(setup).values():
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_unknown_delaftale_is_404(client, setup):
    client.force_login(setup["secretariat"])
    url = reverse("indicators:subagreement", kwargs={"slug": "fremtid", "area": "findes-ikke"})
    assert client.get(url).status_code == 404


def test_board_and_lbf_read_but_cannot_enter_or_import(client, setup):
    board = PlanMembershipFactory(plan=setup["plan"], role=PlanMembership.Role.BOARD).user
    lbf = UserFactory()
    lbf.groups.add(Group.objects.get_or_create(name=LBF_GROUP)[0])
    for user in (board, lbf):
        client.force_login(user)
        page = client.get(urls(setup)["subagreement"])
        assert page.status_code == 200
        assert "Registrér årets opfølgning" not in page.content.decode()
        assert client.get(urls(setup)["enter"]).status_code == 403
        assert client.post(urls(setup)["import"], {}).status_code == 403
        assert client.get(urls(setup)["export"]).status_code == 200


def test_subagreement_page_shows_lbf_table_followup_and_charts(client, setup):
    client.force_login(setup["secretariat"])
    body = client.get(urls(setup)["subagreement"]).content.decode()
    assert "Flere børn er skoleparate" in body
    assert "Monitorering (ingen mål)" in body
    assert "Mål: 40 børnefamilier deltager i HippHopp+" in body
    assert "<th class=\"num\">2023</th>" in body  # years never localised as "2.023"
    assert "Demodata" in body
    assert body.count("<svg") == 1  # one chart: the only indicator with values
    assert "<script" not in body


def test_plan_page_shows_section_5_and_links(client, setup):
    client.force_login(setup["secretariat"])
    body = client.get(urls(setup)["plan"]).content.decode()
    assert "5. Overordnede mål og indikatorer" in body
    assert "Der skal ske et fagligt løft" in body and "Andel 1-5-årige i dagtilbud" in body
    assert urls(setup)["subagreement"] in body
    assert urls(setup)["enter_plan"] in body


def test_entry_form_lists_every_indicator_of_the_delaftale_for_the_chosen_year(client, setup):
    client.force_login(setup["secretariat"])
    response = client.get(urls(setup)["enter"], {"aar": "2023"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Årlig opfølgning 2023" in body
    assert f'name="value_{setup["share"].pk}"' in body and f'name="value_{setup["count"].pk}"' in body
    assert f'name="value_{setup["fixed"].pk}"' not in body  # the overordnede mål have their own form
    assert 'value="31"' in body  # this year's existing value
    assert '<option value="2025"' in body


def test_entry_form_saves_all_values_at_once(client, setup):
    client.force_login(setup["secretariat"])
    share, count = setup["share"], setup["count"]
    response = client.post(urls(setup)["enter"] + "?aar=2024", {
        f"value_{share.pk}": "82,5", f"note_{share.pk}": "Skoleåret 23/24",
        f"value_{count.pk}": "38", f"note_{count.pk}": "",
    })
    assert response.status_code == 302 and response["Location"] == urls(setup)["subagreement"]
    saved = {(v.indicator_id, v.year): (v.value, v.note, v.source) for v in IndicatorValue.objects.all()}
    assert saved[(share.pk, 2024)] == (D("82.5"), "Skoleåret 23/24", "")
    assert saved[(count.pk, 2024)] == (D(38), "", "")
    assert saved[(count.pk, 2023)] == (D(31), "", "Demodata")  # other years untouched
    assert IndicatorValue.objects.get(indicator=share, year=2024).history.first().history_user == \
        setup["secretariat"]


def test_entry_form_keeps_typed_input_on_error_and_writes_nothing(client, setup):
    client.force_login(setup["secretariat"])
    share, count = setup["share"], setup["count"]
    response = client.post(urls(setup)["enter"] + "?aar=2024", {
        f"value_{share.pk}": "82,5", f"note_{share.pk}": "God udvikling",
        f"value_{count.pk}": "mange", f"note_{count.pk}": "Tællet i december",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "»mange« er ikke et tal (enheden er »antal«)." in body
    assert 'value="82,5"' in body and 'value="God udvikling"' in body and 'value="mange"' in body
    assert 'value="Tællet i december"' in body
    assert "intet er gemt" in body
    assert not without_demo(IndicatorValue).filter(year=2024).exists()


def test_emptying_a_value_deletes_it_and_a_note_needs_a_value(client, setup):
    client.force_login(setup["secretariat"])
    count = setup["count"]
    response = client.post(urls(setup)["enter"] + "?aar=2023", {f"value_{count.pk}": "", f"note_{count.pk}": ""})
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(indicator=count).exists()
    response = client.post(urls(setup)["enter"] + "?aar=2023", {f"value_{count.pk}": "", f"note_{count.pk}": "x"})
    assert response.status_code == 400
    assert "Angiv en værdi til noten" in response.content.decode()


def test_year_outside_the_plan_falls_back_to_a_plan_year(client, setup):
    client.force_login(setup["secretariat"])
    body = client.get(urls(setup)["enter"], {"aar": "2031"}).content.decode()
    assert "Årlig opfølgning 2031" not in body
    assert "<option value=\"2025\" selected>" in body or "<option value=\"2022\" selected>" in body


def test_plan_level_form_enters_the_overordnede_maal(client, setup):
    client.force_login(setup["secretariat"])
    fixed = setup["fixed"]
    response = client.post(urls(setup)["enter_plan"] + "?aar=2022", {f"value_{fixed.pk}": "91,2"})
    assert response.status_code == 302 and response["Location"] == urls(setup)["plan"]
    assert IndicatorValue.objects.get(indicator=fixed).value == D("91.2")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["plan", "indsatsområde", "indikator", "år", "værdi", "note"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_view_good_and_bad_files(client, setup):
    client.force_login(setup["secretariat"])
    area = setup["sub_agreement"].focus_area.name
    bad = _xlsx([["fremtid", area, "Andel skoleparate børn", 2024, "80", ""],
                 ["fremtid", area, "Andel skoleparate børn", 2019, "80", ""]])
    response = client.post(urls(setup)["import"], {"file": SimpleUploadedFile("v.xlsx", bad)})
    assert response.status_code == 400
    assert "Række 3: kolonne »år«: Året 2019 ligger uden for helhedsplanens periode (2022–2025)." in \
        response.content.decode()
    assert without_demo(IndicatorValue).count() == 1
    good = _xlsx([["fremtid", area, "Andel skoleparate børn", 2024, "80", ""]])
    response = client.post(urls(setup)["import"], {"file": SimpleUploadedFile("v.xlsx", good)})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=setup["share"]).value == D(80)


def test_export_view_returns_the_plans_values(client, setup):
    client.force_login(setup["secretariat"])
    IndicatorValueFactory(indicator=IndicatorFactory(), year=2023)  # another plan's value
    response = client.get(urls(setup)["export"])
    assert response["Content-Disposition"] == 'attachment; filename="opfoelgning-fremtid.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("plan", "indsatsområde", "indikator", "år", "værdi", "note")
    assert rows[1:] == [("fremtid", setup["sub_agreement"].focus_area.name,
                         "Antal børnefamilier, der deltager i HippHopp+", 2023, 31, None)]
    csv = client.get(urls(setup)["export"], {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "fremtid" in csv.content.decode()
