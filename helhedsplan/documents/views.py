"""Document preview pages, PDF and Word downloads. Thin: access via ``agreements.selectors``, data via ``builders``.

The preview page is the document's own HTML (with its print stylesheet), so what the browser shows
is what the PDF prints. A PDF address never renders: it hands out the rendered file of the document's
current version, or answers "Dokumentet gøres klar …" while the worker makes it (``rendering``).
A Word address (.docx) writes the file in the request: it is text and tables only, built from the
same context as the page, in a fixed number of queries. Access is checked first, on every request.
"""

import base64
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agreements import permissions, selectors
from agreements.models import FocusArea, Plan
from helhedsplan.storage import file_download

from . import builders as documents
from . import rendering, word, word_import
from .builders import milepaelsplan_document

#: A PDF address is read (GET, HEAD) and, after a failed render, asked to try again (POST).
PDF_METHODS = ["GET", "HEAD", "POST"]


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


def pdf_status_response(request: HttpRequest, *, title: str, back_url: str, back_label: str,
                        error: str = "") -> HttpResponse:
    """The page a PDF address answers while its PDF is being made (202: the browser reloads the address
    every two seconds, without JavaScript) or after its render failed (503, with "Prøv igen")."""
    response = render(request, "documents/pdf_status.html", {
        "title": title, "back_url": back_url, "back_label": back_label, "error": error,
    }, status=503 if error else 202)
    if not error:
        response["Retry-After"] = "2"
    response["Cache-Control"] = "private, no-store"
    return response


def rendered_pdf(request: HttpRequest, plan: Plan, name: str, *, title: Callable[[], str]) -> HttpResponse:
    """The current version of a document's PDF: the file, or the page that waits for the worker.

    The caller has checked the user's access to ``plan``. A POST (the error page's "Prøv igen") queues
    a failed render again and sends the browser back to the address.
    """
    try:
        if request.method == "POST":
            rendering.rendered_document_retry(plan=plan, name=name)
            return redirect(request.path)
        rendered = rendering.rendered_document_request(plan=plan, name=name)
    except documents.DocumentNotFound as error:
        raise Http404(str(error)) from error
    if rendered.is_rendered:
        return file_download(rendered.file.name, filename=rendered.filename, content_type="application/pdf")
    return pdf_status_response(request, title=title(), back_url=plan.get_absolute_url(), back_label=plan.name,
                               error=rendered.error)


def _title(plan: Plan, kind: str, area: str | None) -> str:
    if kind == documents.DELAFTALE:
        name = FocusArea.objects.filter(pulje_id=plan.pulje_id, slug=area).values_list("name", flat=True).first()
        return f"Delaftale for indsatsområdet {name or area}"
    return documents.DOCUMENT_KINDS[kind]


def _pdf(request: HttpRequest, slug: str, kind: str, area: str | None = None) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, slug)
    return rendered_pdf(request, plan, rendering.document_name(kind, area), title=lambda: _title(plan, kind, area))


def _docx(request: HttpRequest, slug: str, kind: str, area: str | None = None) -> HttpResponse:
    document = _document(request, slug, kind, area)
    response = HttpResponse(word.render_docx(document), content_type=word.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{word.docx_filename(document)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def samarbejdsaftale_docx(request: HttpRequest, slug: str) -> HttpResponse:
    return _docx(request, slug, documents.SAMARBEJDSAFTALE)


@login_required
@require_http_methods(["GET", "HEAD"])
def delaftale_docx(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    return _docx(request, slug, documents.DELAFTALE, area)


@login_required
@require_http_methods(["GET", "HEAD"])
def budget_docx(request: HttpRequest, slug: str) -> HttpResponse:
    return _docx(request, slug, documents.BUDGET)


@login_required
@require_http_methods(["GET", "HEAD"])
def samlet_docx(request: HttpRequest, slug: str) -> HttpResponse:
    return _docx(request, slug, documents.SAMLET)


@login_required
def samarbejdsaftale(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.SAMARBEJDSAFTALE)


@login_required
@require_http_methods(PDF_METHODS)
def samarbejdsaftale_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.SAMARBEJDSAFTALE)


@login_required
def delaftale(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    return _preview(request, slug, documents.DELAFTALE, area)


@login_required
@require_http_methods(PDF_METHODS)
def delaftale_pdf(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    return _pdf(request, slug, documents.DELAFTALE, area)


@login_required
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.BUDGET)


@login_required
@require_http_methods(PDF_METHODS)
def budget_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.BUDGET)


@login_required
def samlet(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.SAMLET)


@login_required
@require_http_methods(PDF_METHODS)
def samlet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.SAMLET)


@login_required
def okonomiopfolgning(request: HttpRequest, slug: str) -> HttpResponse:
    return _preview(request, slug, documents.OKONOMIOPFOLGNING)


@login_required
@require_http_methods(PDF_METHODS)
def okonomiopfolgning_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, slug, documents.OKONOMIOPFOLGNING)


# --- Milepælsplan (a working plan, not approved: no stamp) ---------------------------------------------

@login_required
def milestone_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The milepælsplan as a document page (the documents pipeline's preview)."""
    plan = selectors.get_plan_access(request.user, slug).plan
    response = HttpResponse(milepaelsplan_document(plan).render_html())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(PDF_METHODS)
def milestone_document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.get_plan_access(request.user, slug).plan
    return rendered_pdf(request, plan, rendering.MILEPAELSPLAN, title=lambda: "Milepælsplan")



# --- Word in: a delaftale written in LBF's template, previewed, created on confirm -------------------------

#: A previewed file is carried to the confirmation signed, and only for this long.
WORD_IMPORT_SECONDS = 60 * 60


class WordFileForm(forms.Form):
    file = forms.FileField(label="Delaftalen eller samarbejdsaftalen som Word-fil (.docx)")


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt="documents.word-import")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def word_import_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload → preview of what goes where (and what could not be placed) → confirm writes the kladde: a new
    delaftale, or the strategic agreement's content."""
    plan = selectors.get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.EDIT_PLAN, plan)
    form = WordFileForm(request.POST or None, request.FILES or None)
    context: dict = {"plan": plan, "form": form, "errors": [], "result": None, "payload": ""}
    if request.method == "POST":
        content = None
        if "payload" in request.POST:
            try:
                content = base64.b64decode(_signer().unsign(request.POST["payload"], max_age=WORD_IMPORT_SECONDS))
            except signing.BadSignature:
                context["errors"] = ["Forhåndsvisningen er for gammel. Indlæs filen igen."]
        elif form.is_valid():
            content = form.cleaned_data["file"].read()
        if content is not None:
            try:
                result = word_import.read_word(plan=plan, content=content)
                context.update(result=result, errors=list(result.errors))
                if not result.errors and "confirm" in request.POST:
                    document = word_import.word_import(plan=plan, content=result)
                    if isinstance(result, word_import.SamarbejdsaftaleImport):
                        messages.success(request, "Samarbejdsaftalen er opdateret fra Word-filen og er en kladde.")
                        return redirect("agreements:strategic_detail", slug=plan.slug)
                    messages.success(request, f"{document} er oprettet som kladde fra Word-filen.")
                    return redirect(document.get_absolute_url())
                context["payload"] = _signer().sign(base64.b64encode(content).decode("ascii"))
            except word_import.WordImportError as error:
                context["errors"] = [str(error)]
                context["payload"] = ""
    status = 400 if request.method == "POST" and (context["errors"] or not (form.is_valid() or context["result"])) \
        else 200
    return render(request, "documents/word_import.html", context, status=status)
