from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements import services
from agreements.models import HousingDepartment, StaffResource, SubAgreement
from tests.demo import without_demo
from tests.factories.agreements import (
    FocusAreaFactory,
    HousingAreaFactory,
    OrganisationFactory,
    PlanFactory,
    PlanFocusAreaFactory,
    PuljeFactory,
    StaffResourceFactory,
    SubAgreementFactory,
)

pytestmark = pytest.mark.django_db


def test_second_subagreement_for_same_focus_area_is_refused_by_the_database():
    sub_agreement = SubAgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubAgreement.objects.create(plan=sub_agreement.plan, focus_area=sub_agreement.focus_area,
                                    start_date=sub_agreement.start_date, end_date=sub_agreement.end_date)


def test_second_subagreement_is_refused_in_clean_with_danish_message():
    sub_agreement = SubAgreementFactory()
    duplicate = SubAgreement(plan=sub_agreement.plan, focus_area=sub_agreement.focus_area,
                             start_date=sub_agreement.start_date, end_date=sub_agreement.end_date)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "allerede en delaftale for dette indsatsområde" in str(excinfo.value)


def test_subagreement_dates_outside_plan_period_name_the_field():
    plan = PlanFactory(start_date=date(2022, 1, 1), end_date=date(2025, 12, 31))
    choice = PlanFocusAreaFactory(plan=plan)
    with pytest.raises(ValidationError) as excinfo:
        services.subagreement_create(plan=plan, focus_area=choice.focus_area,
                                     start_date=date(2021, 6, 1), end_date=date(2026, 3, 1))
    errors = excinfo.value.message_dict
    assert "start_date" in errors and "end_date" in errors
    assert "inden for helhedsplanens periode" in errors["start_date"][0]
    assert not without_demo(SubAgreement).exists()


def test_subagreement_inside_period_is_accepted_and_defaults_to_plan_period():
    plan = PlanFactory()
    choice = PlanFocusAreaFactory(plan=plan)
    sub_agreement = services.subagreement_create(plan=plan, focus_area=choice.focus_area)
    assert (sub_agreement.start_date, sub_agreement.end_date) == (plan.start_date, plan.end_date)


def test_subagreement_needs_a_focus_area_the_plan_has_chosen():
    plan = PlanFactory()
    other_area = FocusAreaFactory(pulje=plan.pulje)
    with pytest.raises(ValidationError) as excinfo:
        services.subagreement_create(plan=plan, focus_area=other_area)
    assert "ikke valgt i helhedsplanen" in excinfo.value.message_dict["focus_area"][0]


def test_focus_area_of_another_pulje_is_refused():
    plan = PlanFactory()
    old_area = FocusAreaFactory(pulje=PuljeFactory(code="2011-14", name="2011-14-midlerne",
                                                   first_year=2011, last_year=2014))
    with pytest.raises(ValidationError) as excinfo:
        services.plan_focus_area_add(plan=plan, focus_area=old_area)
    assert "pulje" in excinfo.value.message_dict["focus_area"][0]


def test_plan_end_before_start_is_refused_by_clean_and_database():
    plan = PlanFactory.build(start_date=date(2024, 1, 1), end_date=date(2023, 1, 1), pulje=PuljeFactory())
    with pytest.raises(ValidationError) as excinfo:
        plan.clean()
    assert "end_date" in excinfo.value.message_dict
    plan.municipality.save()
    plan.municipality_id = plan.municipality.pk
    with pytest.raises(IntegrityError, match="plan_end_after_start"), transaction.atomic():
        plan.save()


def test_staff_resource_takes_percent_or_hours_not_both():
    resource = StaffResourceFactory.build(sub_agreement=SubAgreementFactory(), percent=50, hours_per_week=10)
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    assert "hours_per_week" in excinfo.value.message_dict


def test_staff_resource_percent_above_100_is_refused_by_the_database():
    sub_agreement = SubAgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffResource.objects.create(sub_agreement=sub_agreement, function="Leder", percent=150)


def test_plan_years_are_the_calendar_years_it_touches():
    plan = PlanFactory.build(start_date=date(2021, 10, 1), end_date=date(2025, 9, 30))
    assert plan.years == [2021, 2022, 2023, 2024, 2025]


def test_afdelinger_without_a_number_are_each_their_own_row_but_a_number_is_unique():
    area, organisation = HousingAreaFactory(), OrganisationFactory()
    first = HousingDepartment.objects.create(housing_area=area, organisation=organisation, number="", name="A")
    second = HousingDepartment.objects.create(housing_area=area, organisation=organisation, number="", name="")
    second.full_clean()
    assert area.departments.count() == 2 and first.pk != second.pk
    assert str(second) == f"Afdeling uden navn ({organisation})"
    HousingDepartment.objects.create(housing_area=area, organisation=organisation, number="12")
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingDepartment.objects.create(housing_area=area, organisation=organisation, number="12")
