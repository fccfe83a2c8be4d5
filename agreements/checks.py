"""Rule checks of the agreements."""

from __future__ import annotations

from helhedsplan.findings import ERROR, WARNING, Finding

from .models import Plan, PlanFocusArea, SubAgreement


def plan_findings(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    chosen = list(PlanFocusArea.objects.filter(plan=plan).select_related("focus_area"))
    sub_agreements = list(SubAgreement.objects.filter(plan=plan).select_related("focus_area")
                          .prefetch_related("activities"))
    with_agreement = {sa.focus_area_id for sa in sub_agreements}
    chosen_ids = {choice.focus_area_id for choice in chosen}
    for choice in chosen:
        if choice.focus_area_id not in with_agreement:
            findings.append(Finding(WARNING, f"Indsatsområdet »{choice.focus_area}« har endnu ingen delaftale.",
                                    choice, code="missing_subagreement"))
        if not choice.problem_complex.strip():
            findings.append(Finding(WARNING, f"Problemkomplekset for »{choice.focus_area}« er ikke beskrevet.",
                                    choice, "problem_complex", code="missing_problem_complex"))
    for sa in sub_agreements:
        if sa.focus_area_id not in chosen_ids:
            findings.append(Finding(ERROR, "Delaftalens indsatsområde er ikke valgt i helhedsplanen.",
                                    sa, "focus_area", code="subagreement_area_not_chosen"))
        if not plan.contains_period(sa.start_date, sa.end_date):
            findings.append(Finding(
                ERROR, f"Delaftalens periode ligger uden for helhedsplanens periode ({plan.period_display}).",
                sa, "start_date", code="subagreement_outside_period"))
        if not sa.activities.all():
            findings.append(Finding(WARNING, "Delaftalen har ingen aktiviteter.", sa, code="no_activities"))
    return findings
