"""``load_demo``: idempotent, and the demo plans contain what the seeds contain."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q

from agreements.models import Activity, Clause, Contact, FocusArea, HousingDepartment, Plan, Pulje, SubAgreement
from helhedsplan.approvals.models import Approval
from indicators.models import Indicator, IndicatorValue, StandardGoal
from indicators.services import DEMO_SOURCE

pytestmark = pytest.mark.django_db

GUIDANCE = ["Her beskrives", "Her oplistes", "Her anføres", "Her redegøres", "Kort beskrivelse af",
            "Kan beskrives i punktform"]

EXPECTED = {  # slug: (pulje, delaftaler, activities)
    "en-faelles-indsats": ("2019-26", 4, 15),
    "amager": ("2019-26", 4, 9),
    "bispebjerg-udsatte-grupper": ("2011-14", 1, 6),
}


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"agreements", "budgets", "indicators"}
    }


def test_load_demo_twice_changes_nothing(demo_data):
    first = _counts()
    history_first = {label: n for label, n in first.items() if "Historical" in label}
    call_command("load_demo", verbosity=0)
    second = _counts()
    assert first == second
    assert sum(history_first.values()) > 0


def test_reference_data_has_three_puljer_with_their_focus_areas(demo_data):
    assert set(Pulje.objects.values_list("code", flat=True)) == {"2019-26", "2015-18", "2011-14"}
    assert FocusArea.objects.filter(pulje__code="2019-26").count() == 4
    assert FocusArea.objects.filter(pulje__code="2015-18").count() == 4
    assert FocusArea.objects.filter(pulje__code="2011-14").count() == 7
    goal = FocusArea.objects.get(pulje__code="2019-26", name="Beskæftigelse").lbf_goal
    assert goal == "Flere beboere bliver tilknyttet arbejdsmarkedet gennem beskæftigelsesindsatser for voksne"


def test_demo_plans_have_the_seed_counts(demo_data):
    loaded = {p.slug: p for p in Plan.objects.select_related("pulje")}
    for slug, (pulje, n_sub, n_act) in EXPECTED.items():
        if slug not in loaded:
            pytest.fail(f"demo plan {slug} missing")
        plan = loaded[slug]
        assert plan.pulje.code == pulje
        assert SubAgreement.objects.filter(plan=plan).count() == n_sub, slug
        assert Activity.objects.filter(sub_agreement__plan=plan).count() == n_act, slug
        for sa in SubAgreement.objects.filter(plan=plan):
            assert plan.contains_period(sa.start_date, sa.end_date)
            assert sa.parties.exists(), sa


def test_slagelse_spot_checks_against_seed_001(demo_data):
    plan = Plan.objects.get(slug="en-faelles-indsats")
    assert plan.start_date.isoformat() == "2021-10-01" and plan.end_date.isoformat() == "2025-09-30"
    names = set(Activity.objects.filter(sub_agreement__plan=plan).values_list("name", flat=True))
    assert {"HippHopp+", "Skolestart+", "Lektiecaféer", "Junior Betjent", "DIF Get2Sport"} <= names
    vision = plan.strategic_agreement.section_2_vision
    assert "alle beboere i de tre boligområder skal have mulighed for at være aktive" in vision
    departments = {(d.organisation.short_name or d.organisation.name, d.number)
                   for area in plan.housing_areas.all() for d in area.departments.all()}
    assert ("BoligKorsør", "15") in departments and len(departments) == 9
    hipphopp = Activity.objects.get(sub_agreement__plan=plan, name="HippHopp+")
    assert hipphopp.purpose and hipphopp.target_group and hipphopp.content and hipphopp.responsibilities


def test_bispebjerg_has_contacts_per_forvaltning_and_activity(demo_data):
    plan = Plan.objects.get(slug="bispebjerg-udsatte-grupper")
    sub_agreement = plan.sub_agreements.get()
    assert sub_agreement.focus_area.name == "Udsatte grupper"
    assert sub_agreement.parties.filter(contacts__isnull=False).distinct().count() >= 5
    assert Activity.objects.filter(sub_agreement=sub_agreement, contacts__isnull=False).distinct().count() == 6
    assert Activity.objects.filter(sub_agreement=sub_agreement, name="Bydelsmødre").exists()


def test_one_line_descriptions_from_the_activity_lists_of_seed_001(demo_data):
    activities = Activity.objects.filter(sub_agreement__plan__slug="en-faelles-indsats")
    described = dict(activities.exclude(short_description="").values_list("name", "short_description"))
    assert len(described) == 14, "every activity of the lists but the mentorprojekt, which has no description"
    assert described["HippHopp+"] == "kapacitetsopbyggende forløb for familier med førskolebørn"
    assert described["DIF Get2Sport"] == \
        "helhedsorienteret brobygning mellem boligområder og omkringliggende foreningsliv"
    assert not any("kommunale medfinansiering" in text for text in described.values())
    assert not Activity.objects.filter(sub_agreement__plan__slug="amager").exclude(short_description="").exists()


def test_amager_parties_have_the_contact_persons_of_seed_002_in_order(demo_data):
    sub_agreement = SubAgreement.objects.get(plan__slug="amager", focus_area__name="Beskæftigelse")
    perspektiv = sub_agreement.parties.get(organisation__name="Perspektiv")
    assert [(c.title, c.email.endswith("@example.dk")) for c in perspektiv.contact_list] == [
        ("Afdelingschef", True), ("Projektkoordinator", True)]
    assert "projektkoordinator" not in perspektiv.role
    assert sub_agreement.parties.get(organisation__name="Boligforeningen 3B").contact_list == []
    assert not Plan.objects.get(slug="en-faelles-indsats").sub_agreements.filter(parties__contacts__isnull=False) \
        .exists(), "seed 001 names no contact persons"


def test_clause_library_from_seed_000(demo_data):
    assert Clause.objects.filter(category=Clause.Category.MUNICIPAL).count() >= 8
    conflict = Clause.objects.get(category=Clause.Category.CONFLICT)
    assert "Samarbejdet bygger på konsensus mellem parterne" in conflict.text


def test_no_guidance_sentences_and_only_fictional_contact_details(demo_data):
    for model in (Activity, SubAgreement):
        for obj in model.objects.all():
            for field in obj._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if isinstance(value, str):
                    for phrase in GUIDANCE:
                        assert phrase not in value, (obj, field.name)
    for contact in Contact.objects.exclude(email=""):
        assert contact.email.endswith("@example.dk"), contact.email
    for contact in Contact.objects.all():
        assert not re.search(r"@(kk|fsb|aab)\.dk", contact.email)


def test_reference_only_loads_no_demo_plans(db):
    # From a database without the session's demo data (removed inside this test's transaction).
    for model in (Plan, Clause, StandardGoal, FocusArea, Pulje):
        model.objects.all().delete()
    call_command("load_demo", "--reference-only", verbosity=0)
    assert FocusArea.objects.count() == 15
    assert Pulje.objects.count() == 3
    assert not Plan.objects.exists()
    assert not Clause.objects.exists()


# What seed 002 lists under "Boligafdelinger ... med antal lejemål": 19 afdelinger, four of them with
# number, name and organisation blacked out ("000 Xxxxxxxxxx, Xxxx").
AMAGER_DEPARTMENTS = {"Boligforeningen 3B": 5, "Boligforeningen VIBO": 10, "DFB": 1, "Boligforeningen fsb": 2,
                      "HAB": 1}
# Names and a number the seed does not contain (they had been made up for the blacked-out afdelinger).
INVENTED_DEPARTMENTS = {"Lerfosgade", "Skotlandsgade/Tingvej", "Liflandsgade", "Geislersgade"}
# Slagelse (seed 001): the only delmål indicators marked "Monitorering (ingen mål)".
SLAGELSE_MONITORING = ["Andel af børn, der skoleudsættes", "Trivselsundersøgelse i indskolingen"]


def test_amager_has_all_19_afdelinger_of_the_seed(demo_data):
    departments = HousingDepartment.objects.filter(housing_area__plan__slug="amager").select_related("organisation")
    assert departments.count() == 19
    by_organisation: dict[str, int] = {}
    for department in departments:
        by_organisation[department.organisation.name] = by_organisation.get(department.organisation.name, 0) + 1
    assert by_organisation == AMAGER_DEPARTMENTS
    assert sorted(d.number for d in departments if d.number) == ["111", "112", "113", "116", "140", "819"]
    assert sum(1 for d in departments if not d.name and not d.number) == 4
    assert not INVENTED_DEPARTMENTS & {d.name for d in departments}
    urbanplanen = departments.filter(housing_area__name="Urbanplanen")
    assert sorted(d.name for d in urbanplanen) == ["Dyvekevænget", "Remisevænget Nord", "Remisevænget Vest",
                                                   "Remisevænget Øst"]


def test_slagelse_still_has_its_nine_afdelinger(demo_data):
    assert HousingDepartment.objects.filter(housing_area__plan__slug="en-faelles-indsats").count() == 9


def test_amager_has_nothing_the_seed_does_not_say(demo_data):
    plan = Plan.objects.get(slug="amager")
    sub_goal_indicators = Indicator.objects.filter(sub_goal__sub_agreement__plan=plan)
    assert sub_goal_indicators.count() >= 10
    assert not sub_goal_indicators.filter(monitoring=True).exists()
    assert not sub_goal_indicators.filter(kind=Indicator.Kind.ACTIVITY).exists()
    activities = Activity.objects.filter(sub_agreement__plan=plan)
    assert activities.count() == 9 and not activities.filter(municipal_cofinancing=True).exists()
    education = plan.sub_agreements.get(focus_area__name="Uddannelse og livschancer")
    assert sorted(education.parties.values_list("organisation__name", flat=True)) == [
        "Amagerfælled Skole", "Borgercenter Børn og Unge Amager", "Børne- og Ungdomsforvaltningen",
        "Dyvekeskolen", "Ældresagen"]
    texts = [plan.strategic_agreement.section_1_area, *(a.content + a.locations for a in activities),
             *(area.description for area in plan.housing_areas.all())]
    for invented in ["Peder Lykke", "Lerfosgade, Vibo", "133 Skotlandsgade", "Holm Sørensen"]:
        assert not any(invented in text for text in texts), invented


def test_slagelse_monitoring_only_where_the_seed_says_so(demo_data):
    monitored = Indicator.objects.filter(sub_goal__sub_agreement__plan__slug="en-faelles-indsats", monitoring=True)
    assert sorted(text.split(" (")[0] for text in monitored.values_list("text", flat=True)) == SLAGELSE_MONITORING


def test_demo_approvals_are_dated_after_every_invented_value(demo_data):
    checked = 0
    for plan in Plan.objects.filter(slug__in=EXPECTED):
        years = IndicatorValue.objects.filter(
            Q(indicator__goal__plan=plan) | Q(indicator__sub_goal__sub_agreement__plan=plan), source=DEMO_SOURCE,
        ).values_list("year", flat=True)
        approvals = Approval.objects.filter(plan=plan)
        assert approvals.exists(), plan.slug
        for approval in approvals:
            assert all(approval.meeting_date.year > year for year in years), (plan.slug, approval.meeting_date)
        checked += bool(years)
    assert checked == 2
