"""Fixtures for the LBF-udtræk, milestones and public page tests."""

from datetime import date

import pytest

from agreements import workflow
from tests.agreements.workspace_data import Workspace, build_workspace


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
        workflow.strategic_agreement_submit(agreement=ws.strategic, by=ws.secretary)
        return workflow.strategic_agreement_approve(agreement=ws.strategic, by=ws.board, meeting_date=meeting,
                                                    referat=referat)
    ws.sub_agreement.refresh_from_db()
    workflow.subagreement_submit(sub_agreement=ws.sub_agreement, by=ws.secretary)
    return workflow.subagreement_approve(sub_agreement=ws.sub_agreement, by=ws.board, meeting_date=meeting,
                                         referat=referat)
