"""Starting a helhedsplan in the browser: the permission, the form and ``services.plan_create``."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.forms import parse_departments
from agreements.models import FocusArea, HousingDepartment, Organisation, Plan, PlanMembership, Pulje
from agreements.permissions import CREATE_PLAN, PLAN_CREATORS_GROUP
from agreements.services import DepartmentInput, HousingAreaInput
from indicators.models import Goal, Indicator, StandardIndicator
from tests.factories.agreements import OrganisationFactory, PlanMembershipFactory, UserFactory

pytestmark = pytest.mark.usefixtures("demo_data")

NEW_PLAN = reverse("agreements:plan_new")


@pytest.fixture
def creator():
    user = UserFactory(username="planopretter")
    user.groups.add(Group.objects.get_or_create(name=PLAN_CREATORS_GROUP)[0])
    return user


@pytest.fixture
def pulje() -> Pulje:
    return Pulje.objects.get(code="2019-26")


@pytest.fixture
def housing() -> Organisation:
    return OrganisationFactory(name="Boligselskabet Sydhavn", kind=Organisation.Kind.HOUSING)


@pytest.fixture
def kommune() -> Organisation:
    return OrganisationFactory(name="Sydby Kommune", kind=Organisation.Kind.MUNICIPALITY)


def areas(pulje: Pulje, *names: str) -> list[FocusArea]:
    return [FocusArea.objects.get(pulje=pulje, name=name) for name in names]


def create(creator, pulje, housing, kommune, **overrides) -> Plan:
    arguments = {
        "by": creator, "name": "Fælles Fremtid", "pulje": pulje, "start_date": date(2024, 1, 1),
        "end_date": date(2027, 12, 31), "focus_areas": areas(pulje, "Beskæftigelse", "Uddannelse og livschancer"),
        "administrating_organisation": housing, "municipality": kommune, "lbf_journal_number": "2024-123",
        "housing_areas": [HousingAreaInput(name="Sydhavnsparken", departments=[
            DepartmentInput(number="12", name="Parkvænget", organisation=housing)])],
    }
    return services.plan_create(**{**arguments, **overrides})


# --- The permission --------------------------------------------------------------------------------

def test_plan_creators_and_superusers_may_create_plans_others_not(creator):
    assert creator.has_perm(CREATE_PLAN)
    assert UserFactory(username="chef", is_superuser=True).has_perm(CREATE_PLAN)
    assert not PlanMembershipFactory().user.has_perm(CREATE_PLAN)
    creator.is_active = False
    assert not creator.has_perm(CREATE_PLAN)


def test_the_group_exists_after_migrating():
    assert Group.objects.filter(name=PLAN_CREATORS_GROUP).exists()


# --- The service -----------------------------------------------------------------------------------

def test_a_new_plan_has_its_agreements_goals_and_its_creator_in_the_sekretariat(creator, pulje, housing, kommune):
    plan = create(creator, pulje, housing, kommune)

    assert (plan.slug, plan.lbf_journal_number, plan.area_name) == ("faelles-fremtid", "2024-123", "Sydhavnsparken")
    assert (plan.administrating_organisation, plan.municipality) == (housing, kommune)
    chosen = ["Uddannelse og livschancer", "Beskæftigelse"]  # in the pulje's order
    assert [c.focus_area.name for c in plan.plan_focus_areas.order_by("order")] == chosen
    assert plan.strategic_agreement.pk
    sub_agreements = list(plan.sub_agreements.order_by("order"))
    assert [s.focus_area.name for s in sub_agreements] == chosen
    assert all((s.start_date, s.end_date) == (plan.start_date, plan.end_date) for s in sub_agreements)
    department = HousingDepartment.objects.get(housing_area__plan=plan)
    assert (department.housing_area.name, department.number, department.name, department.organisation) == (
        "Sydhavnsparken", "12", "Parkvænget", housing)

    goals = list(Goal.objects.filter(plan=plan).order_by("order"))
    assert [g.focus_area.name for g in goals] == chosen
    assert all(g.standard_id for g in goals)
    fixed = Indicator.objects.filter(goal__plan=plan)
    assert fixed.count() == StandardIndicator.objects.filter(goal__focus_area__name__in=chosen,
                                                             goal__focus_area__pulje=pulje).count() > 0
    assert all(i.kind == Indicator.Kind.FIXED and i.monitoring for i in fixed)

    assert PlanMembership.objects.get(plan=plan).user == creator
    assert PlanMembership.objects.get(plan=plan).role == PlanMembership.Role.SECRETARIAT
    assert plan.history.get().history_user == creator
    assert plan.history.get().history_type == "+"


def test_a_plan_with_a_taken_name_gets_a_url_of_its_own(creator, pulje, housing, kommune):
    first = create(creator, pulje, housing, kommune)
    second = create(creator, pulje, housing, kommune)
    assert (first.slug, second.slug) == ("faelles-fremtid", "faelles-fremtid-2")
    assert services.plan_slug_for("Ærø – Østerbro & Ålborg") == "aeroe-oesterbro-aalborg"


@pytest.mark.parametrize(("start", "end", "field", "message"), [
    (date(2018, 12, 31), date(2022, 12, 31), "start_date", "skal begynde i årene 2019–2026"),
    (date(2027, 1, 1), date(2030, 12, 31), "start_date", "skal begynde i årene 2019–2026"),
    (date(2024, 1, 1), date(2023, 12, 31), "end_date", "Slutdatoen skal ligge efter startdatoen"),
])
def test_the_period_must_start_in_the_puljes_years_and_end_after_it_starts(
        creator, pulje, housing, kommune, start, end, field, message):
    with pytest.raises(ValidationError) as refused:
        create(creator, pulje, housing, kommune, start_date=start, end_date=end)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Plan.objects.filter(name="Fælles Fremtid").exists()


def test_a_plan_granted_in_the_puljes_last_year_may_run_past_it(creator, pulje, housing, kommune):
    plan = create(creator, pulje, housing, kommune, start_date=date(2026, 7, 1), end_date=date(2030, 6, 30))
    assert plan.years == [2026, 2027, 2028, 2029, 2030]


def test_indsatsomraader_must_be_chosen_from_the_plans_pulje(creator, pulje, housing, kommune):
    with pytest.raises(ValidationError) as refused:
        create(creator, pulje, housing, kommune, focus_areas=[])
    assert refused.value.message_dict["focus_areas"] == ["Vælg mindst ét indsatsområde."]
    other = FocusArea.objects.filter(pulje__code="2015-18").first()
    with pytest.raises(ValidationError) as refused:
        create(creator, pulje, housing, kommune, focus_areas=[*areas(pulje, "Beskæftigelse"), other])
    assert refused.value.message_dict["focus_areas"] == ["Indsatsområderne skal høre til den valgte pulje."]


def test_nothing_is_kept_when_any_part_of_the_plan_is_refused(creator, pulje, housing, kommune):
    twice = [DepartmentInput(number="7", organisation=housing), DepartmentInput(number="7", organisation=housing)]
    with pytest.raises(ValidationError):
        create(creator, pulje, housing, kommune, housing_areas=[HousingAreaInput(name="Nord", departments=twice)])
    assert not Plan.objects.filter(name="Fælles Fremtid").exists()
    assert not PlanMembership.objects.filter(user=creator).exists()


def test_only_a_plan_creator_may_create_a_plan(pulje, housing, kommune):
    member = PlanMembershipFactory().user
    with pytest.raises(PermissionDenied):
        create(member, pulje, housing, kommune)
    assert not Plan.objects.filter(name="Fælles Fremtid").exists()


def test_department_lines_are_number_then_name():
    assert parse_departments("12 Parkvænget\n\n  afd. 13  Søvej 2\nAfdeling 14\n") == [
        ("12", "Parkvænget"), ("13", "Søvej 2"), ("14", "")]
    with pytest.raises(ValidationError) as refused:
        parse_departments("12 Parkvænget\n12 Igen\nParkvænget-og-søerne-i-nord 3")
    assert refused.value.messages == [
        "Linje 2: afdeling 12 står der allerede.",
        "Linje 3: afdelingsnummeret »Parkvænget-og-søerne-i-nord« er for langt (højst 20 tegn). "
        "Skriv nummeret først, så navnet.",
    ]


# --- The pages -------------------------------------------------------------------------------------

def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_post(pulje, housing, kommune, **overrides) -> dict:
    data = {
        "pulje": pulje.code, "name": "Sammen i Sydhavn", "start_date": "2024-01-01", "end_date": "2027-12-31",
        "lbf_journal_number": "2024-77", "administrating_organisation": str(housing.pk),
        "municipality": str(kommune.pk),
        "focus_areas": [str(a.pk) for a in areas(pulje, "Beskæftigelse", "Kriminalitetsforebyggelse")],
        "omraader-TOTAL_FORMS": "2", "omraader-INITIAL_FORMS": "0", "omraader-MIN_NUM_FORMS": "1",
        "omraader-MAX_NUM_FORMS": "1000",
        "omraader-0-name": "Sydhavnsparken", "omraader-0-organisation": "",
        "omraader-0-departments": "12 Parkvænget\n13 Søvej",
        "omraader-1-name": "Mozartsvej", "omraader-1-organisation": str(OrganisationFactory().pk),
        "omraader-1-departments": "afd. 4 Mozartsvej",
    }
    return {**data, **overrides}


def test_the_dashboard_offers_a_new_plan_to_plan_creators_only(creator):
    new_plan_link = f'href="{NEW_PLAN}"'
    assert new_plan_link in browser_for(creator).get(reverse("agreements:plan_list")).content.decode()
    member = PlanMembershipFactory().user
    assert new_plan_link not in browser_for(member).get(reverse("agreements:plan_list")).content.decode()
    assert browser_for(member).get(NEW_PLAN).status_code == 403


def test_the_form_first_asks_for_the_pulje_then_offers_its_indsatsomraader(creator, pulje):
    client = browser_for(creator)
    first = client.get(NEW_PLAN).content.decode()
    assert '<label for="id_pulje">Pulje' in first and "Fortsæt" in first
    page = client.get(NEW_PLAN, {"pulje": pulje.code}).content.decode()
    for area in pulje.focus_areas.all():
        assert area.name in page
    assert "Tryghed og trivsel" not in page  # an indsatsområde of the 2015-18 pulje
    assert '<label for="id_omraader-0-departments">Afdelinger' in page
    # the period suggested: from 1 January this year (within the pulje's years), for the pulje's usual length
    year = min(max(timezone.localdate().year, pulje.first_year), pulje.last_year)
    assert f'value="{year}-01-01"' in page and f'value="{year + pulje.default_length_years - 1}-12-31"' in page


def test_creating_a_plan_in_the_browser(creator, pulje, housing, kommune):
    client = browser_for(creator)
    response = client.post(NEW_PLAN, form_post(pulje, housing, kommune))
    plan = Plan.objects.get(name="Sammen i Sydhavn")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Helhedsplanen »Sammen i Sydhavn« er oprettet" in page
    assert "Din rolle: Sekretariat" in page
    assert [s.focus_area.name for s in plan.sub_agreements.order_by("order")] == [
        "Beskæftigelse", "Kriminalitetsforebyggelse"]
    departments = {(d.housing_area.name, d.number, d.name, d.organisation_id == housing.pk)
                   for d in HousingDepartment.objects.filter(housing_area__plan=plan)}
    assert departments == {("Sydhavnsparken", "12", "Parkvænget", True), ("Sydhavnsparken", "13", "Søvej", True),
                           ("Mozartsvej", "4", "Mozartsvej", False)}
    assert Goal.objects.filter(plan=plan).count() == 2
    assert plan.history.get().history_user == creator


def test_an_invalid_form_keeps_what_was_typed_and_creates_nothing(creator, pulje, housing, kommune):
    response = browser_for(creator).post(NEW_PLAN, form_post(
        pulje, housing, kommune, start_date="2030-01-01", end_date="2033-12-31",
        **{"omraader-1-departments": "afd. 4 Mozartsvej\n4 Igen"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "afdeling 4 står der allerede" in page
    assert 'value="Sammen i Sydhavn"' in page and 'value="2024-77"' in page
    assert "12 Parkvænget\n13 Søvej" in page
    assert not Plan.objects.filter(name="Sammen i Sydhavn").exists()

    # with the afdelinger fixed, the service refuses the period, and the form still holds everything
    response = browser_for(creator).post(NEW_PLAN, form_post(
        pulje, housing, kommune, start_date="2030-01-01", end_date="2033-12-31"))
    page = response.content.decode()
    assert "skal begynde i årene 2019–2026" in page
    assert 'value="2030-01-01"' in page and 'value="Mozartsvej"' in page
    assert not Plan.objects.filter(name="Sammen i Sydhavn").exists()


def test_at_least_one_boligomraade_with_distinct_names(creator, pulje, housing, kommune):
    client = browser_for(creator)
    page = client.post(NEW_PLAN, form_post(pulje, housing, kommune, **{"omraader-1-name": "sydhavnsparken"})) \
        .content.decode()
    assert "To boligområder hedder »sydhavnsparken«." in page
    page = client.post(NEW_PLAN, form_post(pulje, housing, kommune, **{
        "omraader-0-DELETE": "on", "omraader-1-DELETE": "on"})).content.decode()
    assert "Angiv mindst ét boligområde." in page
    assert not Plan.objects.filter(name="Sammen i Sydhavn").exists()


def test_the_right_is_checked_when_the_form_is_sent(creator, pulje, housing, kommune):
    client = browser_for(creator)
    assert client.get(NEW_PLAN).status_code == 200
    creator.groups.clear()
    assert client.post(NEW_PLAN, form_post(pulje, housing, kommune)).status_code == 403
    assert not Plan.objects.filter(name="Sammen i Sydhavn").exists()
