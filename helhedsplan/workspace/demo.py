"""The demo plans with every app's part, approved once.

Each domain app loads its own part (``agreements.demo``, ``budgets.demo``, ``indicators.demo``); the
demo plans then come with their documents and their budgetark (where the source has one) approved
once, so "current delaftaler" and an LBF-udtræk of the demo data have content. Those approvals are
recorded as given outside the system, by an inactive system user that cannot log in, dated one month
after each plan started, or one month after the last year of the plan's invented follow-up values if
that is later: a document approved before a value existed never shows it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from agreements import demo as agreement_demo
from agreements.models import Plan, StrategicAgreement, SubAgreement
from budgets import demo as budget_demo
from budgets.models import Budget
from helhedsplan.approvals import services as approval_services
from helhedsplan.approvals.models import Approval
from helhedsplan.documents.services import approval_fill_pdf
from indicators import demo as indicator_demo
from indicators.models import IndicatorValue
from indicators.services import DEMO_SOURCE

DEMO_APPROVER = "demo-bestyrelse"
DEMO_REFERAT = "Referat af bestyrelsesmøde (demodata)"


def load_reference() -> None:
    agreement_demo.load_reference()
    budget_demo.load_reference()
    indicator_demo.load_reference()


def load_plan(data: dict) -> Plan:
    plan = agreement_demo.load_plan(data)
    budget_demo.load_plan(plan, data)
    indicator_demo.load_plan(plan, data)
    return plan


def demo_approver():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_APPROVER, defaults={"first_name": "Bestyrelsen", "last_name": "(demodata)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_meeting_date(plan: Plan) -> date:
    """The demo approvals' meeting: a month into the plan, but after every year of invented values."""
    meeting = plan.start_date + timedelta(days=30)
    last_year = IndicatorValue.objects.filter(
        Q(indicator__goal__plan=plan) | Q(indicator__sub_goal__sub_agreement__plan=plan), source=DEMO_SOURCE,
    ).aggregate(last=Max("year"))["last"]
    if last_year is not None:
        meeting = max(meeting, date(last_year + 1, 1, 31))
    return min(meeting, plan.end_date, timezone.localdate())


@transaction.atomic
def approve_demo_plan(plan: Plan, *, render_pdfs: bool = False) -> list[Approval]:
    """Approve the plan's strategic agreement, delaftaler and budgetark once (nothing if any approval exists).

    Call it after every app has loaded its part of the plan: the snapshot holds all of it. Rendering
    the PDFs takes most of the time (about a second each), so by default they are left to the
    background task ``render_approval_pdfs``; ``render_pdfs`` renders them here, once the approvals
    are committed (a PDF is rendered outside any transaction).
    """
    if Approval.objects.filter(plan=plan).exists():
        return []
    by = demo_approver()
    meeting = demo_meeting_date(plan)
    documents: list = list(StrategicAgreement.objects.filter(plan=plan).select_related("plan"))
    documents += list(SubAgreement.objects.filter(plan=plan).select_related("focus_area", "plan"))
    documents += list(Budget.objects.filter(plan=plan).select_related("plan", "plan__pulje"))
    approvals = [
        approval_services.approval_record_external(document=document, recorded_by=by, meeting_date=meeting,
                                                   referat=DEMO_REFERAT, approved_by_name="Bestyrelsen (demodata)")
        for document in documents
    ]
    if render_pdfs:
        transaction.on_commit(partial(_fill_pdfs, [approval.pk for approval in approvals]))
    return approvals


def _fill_pdfs(approval_ids: list[int]) -> None:
    for approval in Approval.objects.filter(pk__in=approval_ids):
        approval_fill_pdf(approval=approval)


def approve_demo_plans(*, render_pdfs: bool = False) -> int:
    """Approve every demo plan that has no approval yet; returns the number of approvals made."""
    return sum(len(approve_demo_plan(plan, render_pdfs=render_pdfs))
               for plan in Plan.objects.filter(slug__in=agreement_demo.DEMO_PLAN_SLUGS))
