"""Fixtures for the LBF-udtræk, milestones and public page tests."""

from datetime import date

import pytest

from helhedsplan.approvals import services as workflow
from helhedsplan.documents import services as document_services
from tests.agreements.workspace_data import Workspace, build_workspace
from tests.stored_files import BACKENDS, StoredFiles, stored_files


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def immediate_tasks(settings):
    """django-tasks' immediate backend: ``enqueue`` runs the real task code at once (django-tasks
    resets its backends when the setting changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ws(db) -> Workspace:
    return build_workspace()


def approve(ws, *, meeting: date, referat: str = "Referat af bestyrelsesmøde, pkt. 3", strategic: bool = False):
    """Send the workspace's delaftale (or strategic agreement) to the bestyrelse and approve it."""
    if strategic:
        ws.strategic.refresh_from_db()
        workflow.document_submit(document=ws.strategic, by=ws.secretary)
        return document_services.document_approve(document=ws.strategic, by=ws.board, meeting_date=meeting,
                                                    referat=referat)
    ws.sub_agreement.refresh_from_db()
    workflow.document_submit(document=ws.sub_agreement, by=ws.secretary)
    return document_services.document_approve(document=ws.sub_agreement, by=ws.board, meeting_date=meeting,
                                         referat=referat)


@pytest.fixture(params=BACKENDS)
def stored(request, media_root) -> StoredFiles:
    """The test runs twice: with local files under MEDIA_ROOT and with a bucket on the real S3 server."""
    return stored_files(request, media_root)
