import pytest
from django.core.management import call_command

from agreements.models import SubAgreement
from helhedsplan.findings import plan_findings
from tests.factories.agreements import ActivityFactory, PlanFocusAreaFactory

pytestmark = pytest.mark.django_db


def test_clean_plan_has_no_agreement_findings():
    plan = ActivityFactory().sub_agreement.plan
    codes = {f.code for f in plan_findings(plan)}
    assert not codes & {"missing_subagreement", "subagreement_outside_period", "no_activities"}


def test_missing_subagreement_and_period_breach_are_reported(capsys):
    sub_agreement = ActivityFactory().sub_agreement
    plan = sub_agreement.plan
    PlanFocusAreaFactory(plan=plan)
    SubAgreement.objects.filter(pk=sub_agreement.pk).update(end_date=plan.end_date.replace(year=plan.end_date.year + 1))
    findings = plan_findings(plan)
    codes = [f.code for f in findings]
    assert "missing_subagreement" in codes
    assert "subagreement_outside_period" in codes
    assert findings[0].is_error
    with pytest.raises(SystemExit) as excinfo:
        call_command("check_plan", plan.slug)
    assert excinfo.value.code == 1
    out = capsys.readouterr().out
    assert "Fejl: Delaftalens periode ligger uden for helhedsplanens periode" in out
