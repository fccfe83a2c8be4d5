"""The demo plans' section-5 and delmål tables match the seeds (001 Slagelse, 002 Amager)."""

import json

import pytest

from agreements.models import Plan, SubAgreement
from indicators import checks
from indicators.demo import DEMO_VALUES_FILE
from indicators.models import MONITORING_LABEL, Indicator, IndicatorValue, StandardGoal, StandardIndicator
from indicators.selectors import goal_rows, plan_indicators, subgoal_rows

pytestmark = pytest.mark.django_db


def rows_for(slug: str, area: str) -> list[dict]:
    return subgoal_rows(SubAgreement.objects.get(plan__slug=slug, focus_area__name=area))


def by_indicator(rows: list[dict], start: str) -> dict:
    matches = [row for row in rows if row["indicator_text"].startswith(start)]
    assert len(matches) == 1, start
    return matches[0]


def test_reference_has_the_nine_faste_indikatorer_under_four_goals(demo_data):
    goals = list(StandardGoal.objects.filter(focus_area__pulje__code="2019-26").order_by("focus_area__order"))
    assert [g.focus_area.name for g in goals] == ["Uddannelse og livschancer", "Beskæftigelse",
                                                  "Kriminalitetsforebyggelse", "Sammenhængskraft og medborgerskab"]
    assert [g.indicators.count() for g in goals] == [3, 2, 2, 2]
    assert StandardIndicator.objects.count() == 9
    assert goals[0].text == ("Der skal ske et fagligt løft af børn og unge, så flere bliver skoleparate, "
                             "og flere tager en uddannelse")
    lower = set(StandardIndicator.objects.filter(lower_is_better=True).values_list("text", flat=True))
    assert "Andel 15-29-årige, der er sigtet mindst én gang" in lower
    assert ("Andel 15-29-årige, der hverken er i gang med en uddannelse eller er i beskæftigelse (restgruppen)"
            in lower)
    assert StandardIndicator.objects.get(text__startswith="Karaktergennemsnit").unit == "karaktergennemsnit"


def test_slagelse_section_5_matches_seed_001(demo_data):
    rows = goal_rows(Plan.objects.get(slug="en-faelles-indsats"))
    assert len(rows) == 9
    assert [r["goal_text"] for r in rows if r["goal_text"]] == [
        "Der skal ske et fagligt løft af børn og unge, så flere bliver skoleparate, og flere tager en uddannelse",
        "Flere bliver tilknyttet arbejdsmarkedet",
        "Børn og unge skal støttes i et liv uden kriminalitet, og områderne skal opleves trygge",
        "Flere er en del af fællesskabet og deltager aktivt i samfundet",
    ]
    assert [r["rowspan"] for r in rows if r["is_first"]] == [3, 2, 2, 2]
    first = rows[0]
    assert (first["indicator_text"], first["baseline_area"], first["baseline_other"], first["baseline_year"],
            first["data_source"]) == ("Andel 1-5 årige i dagtilbud", "90,7%", "88,6%", "2019",
                                      "LBF - Boligsociale Data")
    safety = by_indicator(rows, "Andel beboere over 18 år, der føler sig grundlæggende trygge")
    assert (safety["baseline_area"], safety["baseline_other"], safety["baseline_year"]) == ("71%", "Opgøres ikke",
                                                                                         "2018")
    assert safety["data_source"] == "Tryghedssurvey VIVE/LBF"
    assert by_indicator(rows, "Andel 18-29-årige")["baseline_year"] == "2020"
    assert by_indicator(rows, "Andel stemmeberettigede")["baseline_area"] == "62,2% (Folketing)"


def test_slagelse_delmaal_tables_have_the_seed_rows(demo_data):
    for area, n_sub_goals, n_rows in [("Uddannelse og livschancer", 1, 8), ("Beskæftigelse", 4, 4),
                                      ("Kriminalitetsforebyggelse", 1, 8),
                                      ("Sammenhængskraft og medborgerskab", 2, 5)]:
        rows = rows_for("en-faelles-indsats", area)
        assert (len(rows), sum(r["is_first"] for r in rows)) == (n_rows, n_sub_goals), area
        assert all(r["indicator"] is not None and r["data_source"] for r in rows)


def test_slagelse_delmaal_spot_checks(demo_data):
    education = rows_for("en-faelles-indsats", "Uddannelse og livschancer")
    assert education[0]["sub_goal_text"] == ("Børn og unge fra boligområderne har et udviklings- og fagligt "
                                             "niveau, der matcher det øvrige samfund")
    # The seed's cell reads "Akt.nær indikator 40 børnefamilier deltager i HippHopp+ programmet".
    hipphopp = by_indicator(education, "40 børnefamilier deltager i HippHopp+")
    assert hipphopp["target"] == hipphopp["indicator_text"] == "40 børnefamilier deltager i HippHopp+ programmet"
    assert hipphopp["indicator"].target_value == 40
    assert (hipphopp["baseline_area"], hipphopp["data_source"], hipphopp["activity"]) == (
        "0", "Egen registrering", "HippHopp+")
    assert hipphopp["kind_label"] == "Aktivitetsnær indikator"
    wellbeing = by_indicator(education, "Trivselsundersøgelse i indskolingen")
    assert wellbeing["target"] == MONITORING_LABEL
    grades = by_indicator(education, "Andel af unge, der opnår 02")
    assert (grades["baseline_area"], grades["baseline_other"], grades["baseline_year"]) == ("80,6%", "92,0%", "2019")
    employment = rows_for("en-faelles-indsats", "Beskæftigelse")
    assert [r["sub_goal_text"] for r in employment] == [
        "Flere borgere opnår beskæftigelse", "Flere kvinder i beskæftigelse",
        "Øget beskæftigelse i målgruppen 18+", "Øget beskæftigelse i målgruppen 30+"]
    assert employment[2]["target"] == "Der afvikles 150 årlige borgersamtaler lokalt"
    assert employment[1]["data_source"] == "Fasit, Slagelse Kommune"


def test_amager_section_5_matches_seed_002(demo_data):
    rows = goal_rows(Plan.objects.get(slug="amager"))
    assert len(rows) == 9
    assert [r["rowspan"] for r in rows if r["is_first"]] == [3, 2, 2, 2]
    first = rows[0]
    assert (first["indicator_text"], first["baseline_area"], first["baseline_other"], first["baseline_year"]) == (
        "Andel 1-5-årige i dagtilbud", "89,2 %", "88,6 %", "2020")
    charged = by_indicator(rows, "Andel 15-29-årige, som er sigtet")
    assert (charged["baseline_area"], charged["baseline_other"]) == ("8,3 %", "2,0 %")
    assert charged["indicator"].lower_is_better
    assert by_indicator(rows, "Andel 15-29-årige, der hverken")["baseline_area"] == "19,3 % (375 unge)"
    assert by_indicator(rows, "Andel beboere over 18 år, der føler sig")["baseline_area"] == "72 % (UP) 64 % (AB)"


def test_amager_delmaal_tables_have_the_seed_rows(demo_data):
    # Seed 002 prints the "Skolefravær i grundskolen" row twice across a page break: it is one row.
    for area, n_sub_goals, n_rows in [("Uddannelse og livschancer", 1, 3), ("Beskæftigelse", 2, 2),
                                      ("Kriminalitetsforebyggelse", 3, 3),
                                      ("Sammenhængskraft og medborgerskab", 2, 2)]:
        rows = rows_for("amager", area)
        assert (len(rows), sum(r["is_first"] for r in rows)) == (n_rows, n_sub_goals), area
        assert all(r["indicator"] is not None and r["data_source"] for r in rows)


def test_amager_delmaal_spot_checks(demo_data):
    cohesion = rows_for("amager", "Sammenhængskraft og medborgerskab")
    neighbours = by_indicator(cohesion, "Folk villige til at hjælpe naboer")
    assert neighbours["sub_goal_text"] == "Fællesskab i boligområdet"
    assert (neighbours["baseline_area"], neighbours["baseline_year"]) == ("UP: 54 % AB: 55 %", "2018")
    crime = rows_for("amager", "Kriminalitetsforebyggelse")
    assert [r["sub_goal_text"] for r in crime] == ["Flere unge får lommepengejob", "Oplevelsen af utryghed",
                                                   "Flere fastholder deres uddannelse"]
    dropout = by_indicator(crime, "Andel 18-29-årige, som i løbet af året har afbrudt")
    assert (dropout["baseline_area"], dropout["baseline_year"]) == ("9,8 %", "2019")
    assert dropout["indicator"].lower_is_better


def test_every_fixed_indicator_of_the_2019_26_demo_plans_is_linked_to_lbf_reference(demo_data):
    fixed = Indicator.objects.filter(kind=Indicator.Kind.FIXED, goal__plan__pulje__code="2019-26")
    assert fixed.count() == 18
    assert not fixed.filter(standard__isnull=True).exists()
    for plan in ("en-faelles-indsats", "amager"):
        linked = set(fixed.filter(goal__plan__slug=plan).values_list("standard__order", "standard__goal__focus_area"))
        assert len(linked) == 9


def test_bispebjerg_2011_14_goals_without_indicators_show_as_rows(demo_data):
    rows = goal_rows(Plan.objects.get(slug="bispebjerg-udsatte-grupper"))
    assert len(rows) == 3
    assert all(r["indicator"] is None and r["is_first"] for r in rows)
    assert rows[0]["goal_text"].startswith("At styrke udsatte familiers sociale og kulturelle inklusion")


def test_demo_values_are_marked_and_all_found(demo_data):
    expected = json.loads(DEMO_VALUES_FILE.read_text(encoding="utf-8"))
    for slug in ("en-faelles-indsats", "amager"):
        values = IndicatorValue.objects.filter(indicator__in=plan_indicators(Plan.objects.get(slug=slug)))
        wanted = sum(len(entry["values"]) for entry in expected[slug])
        assert values.count() == wanted, f"{slug}: every demo value entry must match an indicator"
        assert set(values.values_list("source", flat=True)) == {"Demodata"}
        assert set(values.values_list("year", flat=True)) == {2022, 2023, 2024}
        assert all(v.note.startswith("Demodata") for v in values)


# Delmål indicators for which the source sets neither a target nor "Monitorering (ingen mål)".
WITHOUT_TARGET_IN_THE_SOURCE = {"en-faelles-indsats": 5, "amager": 10, "bispebjerg-udsatte-grupper": 0}


def test_demo_plans_have_only_the_findings_their_sources_call_for(demo_data):
    for plan in Plan.objects.all():
        findings = checks.plan_findings(plan)
        assert {finding.code for finding in findings} <= {"indicator_without_target"}, plan.slug
        assert all(finding.obj.sub_goal_id for finding in findings), plan.slug
        assert len(findings) == WITHOUT_TARGET_IN_THE_SOURCE[plan.slug], plan.slug
