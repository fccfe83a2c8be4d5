"""Scale: dry-run import of a 5,000-line budgetark, and the LBF export for 10 and 100 generated plans.

Runs on a throwaway test database with data from the test factories (fixed seed).
"""

from __future__ import annotations

import random
import time

from .figures import Figure

BUDGET_LINES = 5_000
EXPORT_SIZES = (10, 100)


def _budget_figures() -> list[Figure]:
    from django.conf import settings
    from django.test import override_settings

    from budgets import services, xlsx
    from budgets.models import BudgetLine
    from budgets.selectors import budget_sheet
    from tests.factories.agreements import SubAgreementFactory
    from tests.factories.budgets import BudgetFactory, expense_types

    sub_agreement = SubAgreementFactory()
    plan = sub_agreement.plan
    budget = BudgetFactory(plan=plan)
    types = expense_types()
    lines = []
    for index in range(BUDGET_LINES):
        cross = index % 2 == 0
        lines.append(BudgetLine(
            budget=budget, order=index + 1, name=f"Udgiftspost {index}",
            section=BudgetLine.Section.CROSS_CUTTING if cross else BudgetLine.Section.FOCUS_AREA,
            focus_area=None if cross else sub_agreement.focus_area, expense_type=types[1] if cross else None,
            amounts={str(year): 10 for year in plan.years}, lbf=10 * len(plan.years)))
    BudgetLine.objects.bulk_create(lines)
    data = xlsx.write_budget_xlsx(budget_sheet(plan))

    start = time.perf_counter()
    try:
        services.budget_import_file(plan=plan, data=data, file_name="stor.xlsx", dry_run=True)
        refused = "accepted"
    except xlsx.BudgetFileError as exc:
        refused = f"refused: {exc.problems[0].message[:60]}…"
    default_seconds = time.perf_counter() - start

    limit = xlsx.MAX_LINES
    xlsx.MAX_LINES = BUDGET_LINES + 1  # measure reading and checking every line, not the early refusal
    try:
        with override_settings(BUDGET_IMPORT_MAX_ROWS=2 * BUDGET_LINES):
            start = time.perf_counter()
            outcome = services.budget_import_file(plan=plan, data=data, file_name="stor.xlsx", dry_run=True)
            seconds = time.perf_counter() - start
    finally:
        xlsx.MAX_LINES = limit
    line_count = len(outcome.read.content.lines)
    raw = (f"{line_count} lines, {len(data) // 1024} kB file; with the default limits ({limit} lines, "
           f"{settings.BUDGET_IMPORT_MAX_ROWS} rows) the same file is {refused} in {default_seconds:.2f} s")
    return [Figure(f"Budgetark dry-run import, {BUDGET_LINES} lines", seconds, "seconds (reported)", True, raw,
                   unit=" s")]


def _approved_plans(count: int) -> list:
    """``count`` generated plans, each with an approved strategic agreement and delaftale and a budget."""
    from datetime import date

    from agreements.models import StrategicAgreement
    from budgets.models import BudgetLine
    from helhedsplan.approvals import services as workflow
    from tests.factories.agreements import ActivityFactory, UserFactory
    from tests.factories.budgets import BudgetFactory, BudgetLineFactory

    recorder = UserFactory(username="bench-recorder")
    plans = []
    for _ in range(count):
        sub_agreement = ActivityFactory().sub_agreement
        ActivityFactory(sub_agreement=sub_agreement)
        plan = sub_agreement.plan
        agreement = StrategicAgreement.objects.create(plan=plan, section_1_area="Boligområdet.")
        budget = BudgetFactory(plan=plan)
        BudgetLineFactory(budget=budget)
        BudgetLineFactory(budget=budget, section=BudgetLine.Section.FOCUS_AREA,
                          focus_area=sub_agreement.focus_area, expense_type=None)
        for document in (agreement, sub_agreement):
            workflow.approval_record_external(document=document, recorded_by=recorder,
                                              meeting_date=date(2022, 3, 1), referat="Referat 1",
                                              approved_by_name="Bestyrelsen")
        plans.append(plan)
    return plans


def _export_figures() -> list[Figure]:
    import tempfile
    from datetime import date
    from pathlib import Path

    from helhedsplan.lbf.export import export_lbf

    times = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in EXPORT_SIZES:
            plans = _approved_plans(size)
            output = Path(folder) / f"lbf-{size}.zip"
            start = time.perf_counter()
            export_lbf(output=output, slugs=[plan.slug for plan in plans], today=date(2023, 1, 1))
            times[size] = (time.perf_counter() - start, output.stat().st_size)
    (small, small_bytes), (large, large_bytes) = times[EXPORT_SIZES[0]], times[EXPORT_SIZES[1]]
    growth = large / small if small else 0.0
    raw = (f"{EXPORT_SIZES[0]} plans {small:.2f} s ({small_bytes // 1024} kB), "
           f"{EXPORT_SIZES[1]} plans {large:.2f} s ({large_bytes // 1024} kB); budgetark PDF + XLSX per plan")
    return [Figure(f"LBF export growth {EXPORT_SIZES[0]} → {EXPORT_SIZES[1]} plans", growth, "≈ 10 (≤ 12)",
                   growth <= 12, raw)]


def run() -> list[Figure]:
    import factory.random
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        random.seed(2026)
        factory.random.reseed_random(2026)
        return _budget_figures() + _export_figures()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
