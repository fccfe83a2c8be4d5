"""A bilag is part of what the bestyrelse approves: its title, kind and the SHA-256 of its file are in the
snapshot, so replacing or deleting the file makes exactly the document it belongs to a kladde again."""

from datetime import date

import pytest

from agreements.attachments import attachment_delete
from agreements.models import Attachment
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.diff import compare
from helhedsplan.approvals.snapshots import document_snapshot
from helhedsplan.approvals.state import document_state
from tests import attachment_files as files
from tests.agreements.workspace_data import build_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def approve(document, by):
    document.refresh_from_db()
    return workflow.approval_record_external(document=document, recorded_by=by, meeting_date=date(2024, 3, 12),
                                             referat="Referat pkt. 4", approved_by_name="Bestyrelsen")


def test_replacing_the_organisationsdiagram_unapproves_the_samarbejdsaftale_only():
    ws = build_workspace()
    diagram = files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM,
                           title="Organisationsdiagram", content=files.png(colour="#204060"))
    approval = approve(ws.strategic, ws.secretary)
    approve(ws.sub_agreement, ws.secretary)
    frozen = next(c for c in approval.data["collections"] if c["name"] == "attachments")
    assert [field["value"] for field in frozen["items"][0]["fields"]] == [
        "Organisationsdiagram", "Organisationsdiagram", diagram.sha256]
    assert document_state(ws.strategic).is_approved

    attachment_delete(attachment=diagram, by=ws.secretary)
    files.attach(ws.plan, ws.secretary, kind=Attachment.Kind.ORGANISATION_DIAGRAM, title="Organisationsdiagram",
                 content=files.png(colour="#aa3333"))

    assert document_state(ws.strategic).is_draft
    assert document_state(ws.sub_agreement).is_approved
    diff = compare(approval.data, document_snapshot(ws.strategic))
    assert [c.title for c in diff.changed_collections] == ["Bilag"]


def test_a_bilag_of_a_delaftale_belongs_to_its_approval_and_removing_it_approves_again():
    ws = build_workspace()
    approve(ws.strategic, ws.secretary)
    approve(ws.sub_agreement, ws.secretary)
    before = document_snapshot(ws.sub_agreement)
    assert "attachments" not in [c["name"] for c in before["collections"]]

    bilag = files.attach(ws.plan, ws.secretary, sub_agreement=ws.sub_agreement, title="Aftale med skolen")

    assert document_state(ws.sub_agreement).is_draft
    assert document_state(ws.strategic).is_approved
    attachment_delete(attachment=bilag, by=ws.secretary)
    assert document_state(ws.sub_agreement).is_approved
