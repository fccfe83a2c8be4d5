"""``load_demo`` approves the demo plans' documents once, dated inside their periods."""

import pytest
from django.core.management import call_command

from agreements.models import Plan, StrategicAgreement, SubAgreement
from budgets.models import Budget
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from helhedsplan.workspace.demo import DEMO_APPROVER

pytestmark = pytest.mark.django_db


def test_every_demo_document_is_approved_once(demo_data):
    for plan in Plan.objects.all():
        approvals = Approval.objects.filter(plan=plan)
        has_budget = Budget.objects.filter(plan=plan).exists()
        assert approvals.count() == plan.sub_agreements.count() + 1 + has_budget
        assert approvals.filter(kind=Approval.Kind.BUDGET).count() == has_budget
        for approval in approvals:
            assert approval.number == 1
            assert plan.start_date <= approval.meeting_date <= plan.end_date
            assert approval.approved_by.username == DEMO_APPROVER and not approval.approved_by.is_active
            key = "lines" if approval.kind == Approval.Kind.BUDGET else "collections"
            assert approval.data[key], "the snapshot holds the document's parts"
    documents = [*SubAgreement.objects.select_related("plan"), *StrategicAgreement.objects.select_related("plan"),
                 *Budget.objects.select_related("plan")]
    assert Budget.objects.filter(plan__slug="amager").exists(), "the Amager source has a budgetark"
    assert all(document_state(document).is_approved for document in documents)
    amager = Approval.objects.get(plan__slug="amager", focus_area__slug="beskaeftigelse")
    names = [group["name"] for group in amager.data["collections"]]
    assert {"activities", "indicators", "economy"} <= set(names), "loaded after budgets and indicators"


def test_load_demo_again_approves_nothing_new(demo_data):
    before = list(Approval.objects.values_list("pk", flat=True))
    call_command("load_demo", verbosity=0)
    assert list(Approval.objects.values_list("pk", flat=True)) == before


def test_a_deferred_pdf_is_only_rendered_while_the_document_is_unchanged(demo_data):
    from agreements import services
    from helhedsplan.documents import services as workflow

    changed = Approval.objects.get(plan__slug="amager", focus_area__slug="beskaeftigelse")
    unchanged = Approval.objects.get(plan__slug="amager", focus_area__slug="kriminalitetsforebyggelse")
    assert not changed.has_pdf and not unchanged.has_pdf
    sub = changed.sub_agreement
    services.subagreement_save(sub_agreement=sub, expected_version=sub.version, fields={"revision": "Ændret."})
    assert workflow.approval_fill_pdf(approval=changed) is False
    assert workflow.approval_fill_pdf(approval=unchanged) is True
    changed.refresh_from_db()
    unchanged.refresh_from_db()
    assert not changed.has_pdf, "a PDF of today's text would not be what was approved"
    assert unchanged.read_pdf().startswith(b"%PDF")
    assert workflow.approval_fill_pdf(approval=unchanged) is False, "filled once"
