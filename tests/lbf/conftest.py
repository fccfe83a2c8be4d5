"""Fixtures for the LBF-udtræk, milestones and public page tests."""

from datetime import date

import pytest

from helhedsplan.approvals import services as workflow
from helhedsplan.documents import services as document_services
from tests.agreements.workspace_data import Workspace, build_workspace
from tests.stored_files import BACKENDS, StoredFiles, stored_files


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Export files (and approval PDFs) go to a temporary MEDIA_ROOT of their own."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
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
    """Send the workspace's delaftale (or strategic agreement) to the bestyrelse and approve it; the
    approval's PDF is rendered at once, as the worker does right after the approval is committed."""
    document = ws.strategic if strategic else ws.sub_agreement
    document.refresh_from_db()
    workflow.document_submit(document=document, by=ws.secretary)
    approval = document_services.document_approve(document=document, by=ws.board, meeting_date=meeting,
                                                   referat=referat)
    document_services.approval_fill_pdf(approval=approval)
    approval.refresh_from_db()
    return approval


@pytest.fixture(params=BACKENDS)
def stored(request, media_root) -> StoredFiles:
    """The test runs twice: with local files under MEDIA_ROOT and with a bucket on the real S3 server."""
    return stored_files(request, media_root)
