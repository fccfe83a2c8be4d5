"""Background tasks (django-tasks; the database backend's worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_lbf_export(export_id: str) -> dict:
    """Build a queued LBF-udtræk (``agreements.export.lbf_export_run``)."""
    from .export import lbf_export_run

    export = lbf_export_run(export_id=export_id)
    return {"status": export.status, "file_size": export.file_size}


@task()
def cleanup_lbf_exports() -> int:
    """Delete export files past their time."""
    from .export import lbf_exports_cleanup

    return lbf_exports_cleanup()


@task()
def render_approval_pdfs() -> int:
    """Render the PDFs of approvals saved without one (the demo data's), where still faithful."""
    from .models import Approval
    from .workflow import approval_fill_pdf

    return sum(approval_fill_pdf(approval=approval) for approval in Approval.objects.filter(pdf__isnull=True))
