"""The latest approvals of several documents read together are each document's latest approval."""

from datetime import date

import pytest

from agreements.models import StrategicAgreement
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.state import approved_states, document_status, latest_approval, latest_approvals
from tests.agreements.workspace_data import build_workspace
from tests.factories.agreements import SubAgreementFactory
from tests.factories.budgets import BudgetFactory


@pytest.mark.django_db
def test_latest_approvals_are_each_documents_latest_approval():
    ws = build_workspace()
    other_plan = SubAgreementFactory()  # another plan's delaftale, approved once
    never = SubAgreementFactory(plan=ws.plan)  # never approved
    budget = BudgetFactory(plan=ws.plan)
    for document, times in ((ws.sub_agreement, 2), (ws.strategic, 1), (other_plan, 1), (budget, 1)):
        for _ in range(times):
            document.refresh_from_db()
            workflow.approval_record_external(document=document, recorded_by=ws.secretary,
                                              meeting_date=date(2024, 3, 12), referat="Referat, pkt. 3",
                                              approved_by_name="Bestyrelsen")
    documents = [ws.strategic, ws.sub_agreement, never, other_plan, budget]
    found = latest_approvals(documents)
    assert [a.pk if a else None for a in found] == [
        a.pk if a else None for a in (latest_approval(document) for document in documents)]
    assert found[1].number == 2 and found[2] is None
    assert latest_approvals([]) == []
    # A page that shows only the status gets the same state as from the full approval.
    assert document_status(ws.sub_agreement).code == "godkendt"
    assert document_status(never).code == "kladde"

    # Every part approved: their states; one part never approved, or changed since: None.
    states = approved_states([ws.strategic, ws.sub_agreement, budget])
    assert states is not None and [state.code for state in states] == ["godkendt"] * 3
    assert approved_states([ws.strategic, ws.sub_agreement, never]) is None
    StrategicAgreement.objects.filter(pk=ws.strategic.pk).update(section_2_vision="En ny vision.")
    ws.strategic.refresh_from_db()
    assert approved_states([ws.strategic, ws.sub_agreement, budget]) is None
    assert approved_states([ws.sub_agreement, budget]) is not None
