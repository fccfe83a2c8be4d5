"""Each budget check fires when its rule is broken and stays quiet when it holds."""

import pytest
from django.core.management import call_command

from agreements.models import Plan
from budgets.checks import plan_findings, plan_summary, staff_key
from helhedsplan import findings as all_findings
from tests.factories.agreements import PlanFactory, StaffResourceFactory, SubAgreementFactory
from tests.factories.budgets import BudgetFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


def codes(plan) -> list[str]:
    return [finding.code for finding in plan_findings(plan)]


def test_the_small_plan_breaks_no_rule(small_plan):
    assert [f for f in plan_findings(small_plan) if f.is_error] == []
    assert "line_unbalanced" not in codes(small_plan)


def test_plan_without_budget_gets_a_warning():
    plan = PlanFactory()
    findings = plan_findings(plan)
    assert [(f.code, f.severity) for f in findings] == [("no_budget", "warning")]
    assert plan_summary(plan) == ["Budget: intet budget endnu."]


def test_unbalanced_line_and_total(small_plan):
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.lbf = 170
    line.save()
    findings = {f.code: f for f in plan_findings(small_plan)}
    assert findings["line_unbalanced"].obj == line and findings["line_unbalanced"].is_error
    assert "samlede udgifter 180, finansiering 170 (forskel 10)" in findings["line_unbalanced"].message
    assert "balance 10" in findings["budget_unbalanced"].message


def test_cofinancing_below_the_pulje_minimum(small_plan):
    for line in small_plan.budget.lines.all():
        line.lbf += line.cofinancing
        line.bo_cash = line.bo_hours = line.kom_cash = line.kom_hours = line.other = 0
        line.save()
    findings = {f.code: f for f in plan_findings(small_plan)}
    assert findings["cofinancing_below_minimum"].message == (
        "Den lokale medfinansiering er 0,0 %; puljen kræver mindst 25,0 %.")
    assert "line_unbalanced" not in findings


def test_cofinancing_exactly_at_the_minimum_is_fine():
    plan = PlanFactory()
    BudgetLineFactory(budget=BudgetFactory(plan=plan), amounts={"2022": 100}, lbf=75, bo_cash=25)
    assert "cofinancing_below_minimum" not in codes(plan)


def test_amounts_outside_the_period(small_plan):
    line = small_plan.budget.lines.get(name="Fritidsjob")
    line.amounts = {**line.amounts, "2021": 5, "2026": 5}
    line.other += 10
    line.save()
    finding = next(f for f in plan_findings(small_plan) if f.code == "amount_outside_period")
    assert finding.obj == line
    assert finding.message == ("Udgiftsposten »Fritidsjob« har beløb i 2021, 2026, uden for helhedsplanens "
                               "periode (2022–2025).")


def test_lines_of_an_indsatsomraade_the_plan_has_not_chosen(small_plan, areas):
    BudgetLineFactory(budget=small_plan.budget, section="indsatsomraade", focus_area=areas["crime"],
                      expense_type=None, name="Lommepengejob", amounts={"2022": 10}, lbf=10)
    finding = next(f for f in plan_findings(small_plan) if f.code == "section_not_chosen")
    assert finding.is_error and "»Kriminalitetsforebyggelse«" in finding.message


def test_cross_cutting_line_without_expense_type(small_plan):
    line = small_plan.budget.lines.get(name="Økonomistyring")
    line.expense_type = None
    line.save()
    assert "missing_expense_type" in codes(small_plan)


def test_footnote_reference_without_footnote(small_plan):
    small_plan.budget.footnotes.filter(number="4").delete()
    finding = [f for f in plan_findings(small_plan) if f.code == "missing_footnote"]
    assert {f.obj.name for f in finding} == {"Boligsocial medarbejder 1", "Lokal evaluering"}


def test_delaftale_without_budget_lines_is_warned_about(small_plan, areas):
    SubAgreementFactory(plan=small_plan, focus_area=areas["edu"])
    assert "subagreement_without_budget" not in codes(small_plan)
    small_plan.budget.lines.filter(focus_area=areas["edu"]).delete()
    assert "subagreement_without_budget" in codes(small_plan)


def test_staff_key_reduces_function_and_line_names_alike():
    assert staff_key("Boligsocial medarbejder 2 (deltid) – sprogundervisning") == "boligsocial medarbejder 2 deltid"
    assert staff_key("Boligsocial medarbejder 2, deltid") == "boligsocial medarbejder 2 deltid"
    assert staff_key("Boligsocial medarbejder 7 - Ansvarlig for tryghedsindsats") == "boligsocial medarbejder 7"
    assert staff_key("Projektleder 25 %") == "projektleder"


def test_staff_resources_match_salary_lines_by_name_in_the_same_section(small_plan, areas):
    edu = SubAgreementFactory(plan=small_plan, focus_area=areas["edu"])
    job = SubAgreementFactory(plan=small_plan, focus_area=areas["job"])
    # Both salary lines are unmatched at first.
    unmatched = {f.obj.name for f in plan_findings(small_plan) if f.code == "salary_line_without_staff"}
    assert unmatched == {"Boligsocial medarbejder 1", "Boligsocial medarbejder 3"}
    StaffResourceFactory(sub_agreement=edu, function="Boligsocial medarbejder 1 – lektiehjælp")
    StaffResourceFactory(sub_agreement=job, function="Boligsocial medarbejder 3")
    assert "salary_line_without_staff" not in codes(small_plan)
    assert "staff_without_budget_line" not in codes(small_plan)


def test_staff_resource_in_another_section_does_not_match(small_plan, areas):
    job = SubAgreementFactory(plan=small_plan, focus_area=areas["job"])
    resource = StaffResourceFactory(sub_agreement=job, function="Boligsocial medarbejder 1")
    findings = plan_findings(small_plan)
    staff = [f for f in findings if f.code == "staff_without_budget_line"]
    assert [f.obj for f in staff] == [resource]
    assert "»Beskæftigelse«" in staff[0].message
    # Staff not paid by the plan needs no line.
    resource.financed_by_plan = False
    resource.save()
    assert "staff_without_budget_line" not in codes(small_plan)


def test_explicit_link_matches_whatever_the_names(small_plan, areas):
    edu = SubAgreementFactory(plan=small_plan, focus_area=areas["edu"])
    resource = StaffResourceFactory(sub_agreement=edu, function="Lektiecafé-koordinator")
    line = small_plan.budget.lines.get(name="Boligsocial medarbejder 1")
    assert {f.obj for f in plan_findings(small_plan) if f.code in {"staff_without_budget_line",
                                                                   "salary_line_without_staff"}} >= {resource, line}
    line.staff_resources.add(resource)
    remaining = {f.obj for f in plan_findings(small_plan)
                 if f.code in {"staff_without_budget_line", "salary_line_without_staff"}}
    assert resource not in remaining and line not in remaining


def test_explicit_link_to_another_section_is_warned_about(small_plan, areas):
    job = SubAgreementFactory(plan=small_plan, focus_area=areas["job"])
    resource = StaffResourceFactory(sub_agreement=job, function="Boligsocial medarbejder 3")
    small_plan.budget.lines.get(name="Boligsocial medarbejder 1").staff_resources.add(resource)
    assert "staff_link_other_section" in codes(small_plan)


def test_findings_are_part_of_the_plan_wide_list(small_plan):
    line = small_plan.budget.lines.get(name="Aktivitetsmidler")
    line.lbf = 0
    line.save()
    assert "line_unbalanced" in [f.code for f in all_findings.plan_findings(small_plan)]


def test_summary_prints_the_sheet_totals(small_plan):
    assert plan_summary(small_plan) == [
        "Budget (hele tusinde kr.): Total 6.319, LBF 4.422, Samlet medfinansiering 1.897, Balance 0, Medfinans. 30,0 %"]


def test_summary_shows_that_24_6_percent_is_below_a_25_percent_minimum(db):
    plan = PlanFactory()
    BudgetLineFactory(budget__plan=plan, amounts={"2022": 1000}, lbf=754, bo_cash=246)
    assert plan_summary(plan)[0].endswith("Medfinans. 24,6 %"), "not rounded up to the 25 % the pulje demands"
    assert "cofinancing_below_minimum" in codes(plan)


def test_check_plan_amager_prints_the_amager_totals(demo_data, capsys):
    with pytest.raises(SystemExit):  # the source's delmål indicators without a target are errors
        call_command("check_plan", "amager")
    out = capsys.readouterr().out
    assert ("Total 31.169, LBF 19.000, Samlet medfinansiering 12.169, Balance 0, Medfinans. 39,0 %") in out
    assert "10 fejl" in out  # delmål indicators without a target, as in the source


def test_check_plan_exits_1_on_a_budget_error(demo_data, capsys):
    line = Plan.objects.get(slug="amager").budget.lines.get(name="Revision")
    line.lbf = 0
    line.save()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_plan", "amager")
    assert exit_info.value.code == 1
    assert "Udgiftsposten »Revision«" in capsys.readouterr().out
