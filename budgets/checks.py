"""Rule checks of the budget, as findings for ``helhedsplan.findings``."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from agreements.models import Plan, StaffResource, SubAgreement
from helhedsplan.findings import ERROR, WARNING, Finding
from helhedsplan.formatting import format_number, format_percent

from . import followup
from .content import CROSS_CUTTING, FOCUS_AREA
from .models import BudgetLine
from .selectors import budget_sheet

# Words that make a line of an indsatsområde a salary line for rule 7.
SALARY_WORDS = re.compile(r"medarbejder|leder|koordinator|konsulent|løn|stilling|ansat|sekretær|mentor|"
                          r"brobygger|rådgiver|vejleder", re.IGNORECASE)


def staff_key(text: str) -> str:
    """A staff function or a salary line reduced to what identifies the person.

    ``"Boligsocial medarbejder 2 (deltid) – sprogundervisning"`` and ``"Boligsocial medarbejder 2, deltid"``
    both become ``"boligsocial medarbejder 2 deltid"``; shares (``25 %``) and what follows a dash are
    dropped.
    """
    text = re.split(r"\s[–—-]\s", text.casefold(), maxsplit=1)[0]
    text = re.sub(r"\d+(?:[.,]\d+)?\s*%", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def is_salary_line(line: BudgetLine) -> bool:
    return line.section == FOCUS_AREA and bool(SALARY_WORDS.search(line.name))


def _years_text(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


_UNREAD: Any = object()


def budget_findings(plan: Plan) -> list[Finding]:
    """The budget's rule checks and its follow-up against forbrug (``followup.followup_findings``), with the
    budget sheet read once for both."""
    sheet = budget_sheet(plan)
    findings = plan_findings(plan, sheet=sheet)
    if sheet is not None:
        findings += followup.followup_findings(plan, followup=followup.budget_followup(plan, sheet=sheet))
    return findings


def budget_summary(plan: Plan) -> list[str]:
    return [*plan_summary(plan), *followup.followup_summary(plan)]


def plan_findings(plan: Plan, *, sheet: dict[str, Any] | None = _UNREAD) -> list[Finding]:
    """The budget's rule checks. ``sheet``: the plan's ``budget_sheet`` when the caller has read it already."""
    if sheet is _UNREAD:
        sheet = budget_sheet(plan)
    if sheet is None:
        return [Finding(WARNING, "Helhedsplanen har endnu intet budget.", plan, code="no_budget")]
    findings: list[Finding] = []
    budget = sheet["budget"]
    lines = [item["line"] for section in sheet["sections"] for item in section["lines"]]
    if not lines:
        findings.append(Finding(WARNING, "Budgettet har ingen udgiftsposter.", budget, code="budget_empty"))

    # Rule 1: balance per line and in total.
    for section in sheet["sections"]:
        for item in section["lines"]:
            if item["balance"]:
                findings.append(Finding(
                    ERROR,
                    f"Udgiftsposten »{item['name']}« ({section['heading']}) balancerer ikke: samlede udgifter "
                    f"{format_number(item['total'])}, finansiering {format_number(item['total'] - item['balance'])} "
                    f"(forskel {format_number(item['balance'])}).",
                    item["line"], "lbf", code="line_unbalanced"))
    totals = sheet["totals"]
    if totals["balance"]:
        findings.append(Finding(
            ERROR, f"Budgettet balancerer ikke: samlede udgifter {format_number(totals['total'])}, "
                   f"finansiering {format_number(totals['total'] - totals['balance'])} "
                   f"(balance {format_number(totals['balance'])}).",
            budget, code="budget_unbalanced"))

    # Rule 2: medfinansiering at least the pulje's minimum.
    percent, minimum = totals["cofinancing_percent"], sheet["min_cofinancing_percent"]
    if percent is not None and percent < minimum:
        findings.append(Finding(
            ERROR, f"Den lokale medfinansiering er {format_percent(percent)}; puljen kræver mindst "
                   f"{format_percent(minimum)}.", budget, code="cofinancing_below_minimum"))

    # Rule 3: no amounts outside the plan's years.
    period = sheet["period_years"]
    for line in lines:
        outside = sorted(int(year) for year, amount in line.amounts.items() if amount and int(year) not in period)
        if outside:
            findings.append(Finding(
                ERROR, f"Udgiftsposten »{line.name}« har beløb i {', '.join(map(str, outside))}, uden for "
                       f"helhedsplanens periode ({_years_text(period)}).", line, "amounts",
                code="amount_outside_period"))

    # Sections: only the plan's chosen indsatsområder; udgiftstype on tværgående lines.
    for section in sheet["sections"]:
        if section["kind"] == FOCUS_AREA and not section["chosen"] and section["lines"]:
            findings.append(Finding(
                ERROR, f"Budgettet har udgiftsposter under »{section['title']}«, som ikke er et af helhedsplanens "
                       "valgte indsatsområder.", section["lines"][0]["line"], "focus_area",
                code="section_not_chosen"))
        if section["kind"] == CROSS_CUTTING:
            for item in section["lines"]:
                if item["expense_type"] is None:
                    findings.append(Finding(
                        ERROR, f"Den tværgående udgiftspost »{item['name']}« mangler en udgiftstype.",
                        item["line"], "expense_type", code="missing_expense_type"))

    # Footnotes referred to by a line must exist.
    numbers = {note["number"] for note in sheet["footnotes"]}
    for line in lines:
        missing = [number for number in line.footnote_numbers if number not in numbers]
        if missing:
            findings.append(Finding(WARNING, f"Udgiftsposten »{line.name}« henviser til fodnote "
                                             f"{', '.join(missing)}, som ikke findes.", line, "footnote",
                                    code="missing_footnote"))

    # Rule 6: each delaftale's økonomi comes from its section — say so when there is nothing to derive.
    with_lines = {section["focus_area"].pk for section in sheet["sections"]
                  if section["kind"] == FOCUS_AREA and section["lines"]}
    for sub_agreement in SubAgreement.objects.filter(plan=plan).select_related("focus_area"):
        if sub_agreement.focus_area_id not in with_lines:
            findings.append(Finding(
                WARNING, f"Indsatsområdet »{sub_agreement.focus_area}« har ingen udgiftsposter i budgettet, så "
                         "delaftalens økonomi bliver 0 kr.", sub_agreement, code="subagreement_without_budget"))

    findings.extend(_staff_findings(plan, lines))
    return findings


def _staff_findings(plan: Plan, lines: list[BudgetLine]) -> list[Finding]:
    """Rule 7: staff resources paid by the plan ↔ salary lines of the same section."""
    findings: list[Finding] = []
    staff = list(StaffResource.objects.filter(sub_agreement__plan=plan)
                 .select_related("sub_agreement__focus_area").order_by("sub_agreement__order", "order", "id"))
    links = defaultdict(set)  # line id → staff ids
    for line_id, staff_id in BudgetLine.staff_resources.through.objects.filter(
            budgetline__budget__plan=plan).values_list("budgetline_id", "staffresource_id"):
        links[line_id].add(staff_id)
    staff_by_id = {resource.pk: resource for resource in staff}
    linked_staff = {staff_id for ids in links.values() for staff_id in ids}

    by_area_key: dict[tuple[int, str], list[BudgetLine]] = defaultdict(list)
    for line in lines:
        if line.section == FOCUS_AREA:
            by_area_key[(line.focus_area_id, staff_key(line.name))].append(line)
    matched_lines: set[int] = {line_id for line_id, ids in links.items() if ids}

    for line in lines:
        for staff_id in links.get(line.pk, ()):
            resource = staff_by_id.get(staff_id)
            if resource is None:
                continue
            if line.section != FOCUS_AREA or line.focus_area_id != resource.sub_agreement.focus_area_id:
                findings.append(Finding(
                    WARNING, f"Medarbejderressourcen »{resource.function}« ({resource.sub_agreement.focus_area}) er "
                             f"knyttet til udgiftsposten »{line.name}« i et andet afsnit af budgettet.",
                    line, "staff_resources", code="staff_link_other_section"))

    for resource in staff:
        if not resource.financed_by_plan or resource.pk in linked_staff:
            continue
        candidates = by_area_key.get((resource.sub_agreement.focus_area_id, staff_key(resource.function)), [])
        if candidates:
            matched_lines.update(line.pk for line in candidates)
            continue
        findings.append(Finding(
            WARNING, f"Medarbejderressourcen »{resource.function}« i delaftalen for "
                     f"»{resource.sub_agreement.focus_area}« finansieres af helhedsplanen, men budgettets afsnit for "
                     "indsatsområdet har ingen udgiftspost med den funktion.", resource, "function",
            code="staff_without_budget_line"))

    for line in lines:
        if is_salary_line(line) and line.pk not in matched_lines:
            findings.append(Finding(
                WARNING, f"Lønposten »{line.name}« ({line.section_label}) har ingen medarbejderressource i "
                         "delaftalen for indsatsområdet.",
                line, "staff_resources", code="salary_line_without_staff"))
    return findings


def plan_summary(plan: Plan) -> list[str]:
    """The budget's key figures (whole thousands of kroner); Medfinans. % with one decimal, so 24,6 % is
    never printed as the 25 % a pulje demands."""
    sheet = budget_sheet(plan)
    if sheet is None:
        return ["Budget: intet budget endnu."]
    totals = sheet["totals"]
    percent = totals["cofinancing_percent"]
    return [
        "Budget (hele tusinde kr.): "
        f"Total {format_number(totals['total'])}, "
        f"LBF {format_number(totals['lbf'])}, "
        f"Samlet medfinansiering {format_number(totals['cofinancing'])}, "
        f"Balance {format_number(totals['balance'])}, "
        f"Medfinans. {format_percent(percent) if percent is not None else '–'}"
    ]
