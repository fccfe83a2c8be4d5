"""The approval mark: "KLADDE" until the bestyrelse approves; the approved PDF says so on every page."""

from datetime import date

import pytest

from helhedsplan.approvals import services as workflow
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from helhedsplan.documents import services as document_services
from tests.agreements.workspace_data import build_workspace
from tests.documents.helpers import footer_numbers, pdf_pages


@pytest.fixture
def ws(db):
    return build_workspace()


def pages_of(document: documents.Document) -> list[str]:
    return pdf_pages(pdf.render_pdf(document.render_html()))


def assert_approved(pages: list[str], when: str):
    assert footer_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    for text in pages:
        assert f"Godkendt af bestyrelsen {when}" in text
        assert "KLADDE" not in text and "Kladde" not in text


def assert_draft(pages: list[str]):
    for text in pages:
        assert "KLADDE" in text and "Kladde – ikke godkendt af bestyrelsen" in text
        assert "Godkendt af bestyrelsen" not in text


def test_approval_is_printed_on_the_approved_pdf_and_on_the_current_document(ws):
    area = ws.sub_agreement.focus_area.slug
    assert documents.delaftale_document(plan=ws.plan, area_slug=area).context["approval"] is None
    assert_draft(pages_of(documents.delaftale_document(plan=ws.plan, area_slug=area)))

    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    approval = document_services.document_approve(document=ws.sub_agreement, by=ws.board,
                                             meeting_date=date(2024, 3, 12), referat="Referat pkt. 4")
    assert document_services.approval_fill_pdf(approval=approval)  # the worker's part
    approval.refresh_from_db()

    # The frozen PDF the workflow rendered through this pipeline carries the approval.
    frozen = pdf_pages(approval.read_pdf())
    assert_approved(frozen, "12. marts 2024")
    assert any("Lektiecafé Toften" in text for text in frozen)
    # So does the live document while its content is the approved one …
    assert_approved(pages_of(documents.delaftale_document(plan=ws.plan, area_slug=area)), "12. marts 2024")
    # … but the samlet plan is a draft until the samarbejdsaftale is approved too.
    assert documents.samlet_document(plan=ws.plan).context["approval"] is None

    workflow.document_submit(document=ws.strategic, by=ws.secretary)
    document_services.document_approve(document=ws.strategic, by=ws.board, meeting_date=date(2024, 4, 2),
                                         referat="Referat pkt. 2")
    assert_approved(pages_of(documents.samarbejdsaftale_document(plan=ws.plan)), "2. april 2024")
    assert documents.samlet_document(plan=ws.plan).context["approval"] == documents.ApprovalMark(date(2024, 4, 2))
    assert documents.budget_document(plan=ws.plan).context["approval"] is None  # the budgetark has no approval

    # A changed delaftale is a draft again.
    ws.sub_agreement.refresh_from_db()
    ws.sub_agreement.revision = "Revideres hvert kvartal."
    ws.sub_agreement.save()
    assert_draft(pages_of(documents.delaftale_document(plan=ws.plan, area_slug=area)))
    assert documents.samlet_document(plan=ws.plan).context["approval"] is None
