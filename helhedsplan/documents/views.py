"""Document preview pages and PDF downloads. Thin: access via ``agreements.selectors``, data via ``builders``.

The preview page is the document's own HTML (with its print stylesheet), so what the browser shows
is what the PDF prints.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from agreements import revisions, selectors
from agreements.models import Plan

from . import builders as documents
from . import pdf
from .builders import milepaelsplan_document


def _build(plan: Plan, kind: str, area: str | None) -> documents.Document:
    try:
        return documents.build_document(plan=plan, kind=kind, area_slug=area)
    except documents.DocumentNotFound as error:
        raise Http404(str(error)) from error


def _document(request: HttpRequest, slug: str, kind: str, area: str | None = None) -> documents.Document:
    return _build(selectors.get_plan_for_user(request.user, slug), kind, area)


def _preview(request: HttpRequest, slug: str, kind: str, area: str | None = None) -> HttpResponse:
    document = _document(request, slug, kind, area)
    response = HttpResponse(document.render_html())
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def cached_pdf(plan: Plan, name: str, build: Callable[[], documents.Document]) -> HttpResponse:
    """The document's PDF, rendered once per plan revision and day (documents carry their date)."""
    def render() -> tuple[str, bytes]:
        document = build()
        return document.filename, pdf.render_pdf(document.render_html())

    filename, content = revisions.cached(f"pdf:{name}", plan, str(timezone.localdate()), render,
                                         cache_alias="default")
    return pdf_response(filename, content)


def _pdf(request: HttpRequest, slug: str, kind: str, area: str | None = None) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, slug)
    return cached_pdf(plan, f"{kind}:{area or ''}", lambda: _build(plan, kind, area))


@login_required
def samarbejdsaftale(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.SAMARBEJDSAFTALE)


@login_required
def samarbejdsaftale_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.SAMARBEJDSAFTALE)


@login_required
def delaftale(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    return _preview(request, slug, documents.DELAFTALE, area)


@login_required
def delaftale_pdf(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    return _pdf(request, slug, documents.DELAFTALE, area)


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.BUDGET)


@login_required
def budget_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.BUDGET)


@login_required
def samlet(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.SAMLET)


@login_required
def samlet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.SAMLET)


# --- Milepælsplan (a working plan, not approved: no stamp) ---------------------------------------------

@login_required
def milestone_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The milepælsplan as a document page (the documents pipeline's preview)."""
    plan = selectors.get_plan_access(request.user, slug).plan
    response = HttpResponse(milepaelsplan_document(plan).render_html())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def milestone_document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.get_plan_access(request.user, slug).plan
    return cached_pdf(plan, "milepaelsplan", lambda: milepaelsplan_document(plan))

