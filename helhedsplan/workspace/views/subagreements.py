"""A delaftale: its page, editor, activities, history and changes since the last approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agreements import permissions, selectors, services
from agreements.forms import (
    ActivityForm,
    ActivityFormSet,
    CommentForm,
    NewSubAgreementForm,
    PartyFormSet,
    StaffResourceFormSet,
    SubAgreementForm,
)
from agreements.models import (
    Activity,
    Comment,
    StaffResource,
    SubAgreement,
)
from agreements.views.clauses import clauses_by_field
from helhedsplan.approvals import history
from helhedsplan.approvals.state import document_status
from helhedsplan.findings import plan_findings
from helhedsplan.forms import add_service_errors, error_messages
from helhedsplan.notifications import events
from helhedsplan.templatetags.findings import index_findings

from .common import changes_page, conflict_context, expected_version, sub_agreement_for, workflow_context


@login_required
def subagreement_detail(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = sub_agreement_for(access, area)
    findings = plan_findings(access.plan)
    return render(request, "agreements/subagreement_detail.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement,
        "findings_index": index_findings(findings),
        "document_findings": [f for f in findings if f.obj is not None and f.obj == sub_agreement],
        **workflow_context(sub_agreement, access, findings),
        "comments": Comment.objects.filter(sub_agreement=sub_agreement).select_related("author"),
        "comment_form": CommentForm() if access.can_comment else None,
    })


@login_required
def subagreement_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    form = NewSubAgreementForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            sub_agreement = services.subagreement_create(plan=access.plan, focus_area=form.cleaned_data["focus_area"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Delaftalen er oprettet. Udfyld den herunder.")
            return redirect("agreements:subagreement_edit", slug=slug, area=sub_agreement.focus_area.slug)
    return render(request, "agreements/subagreement_new.html", {"plan": access.plan, "access": access, "form": form})


def _editor_forms(request: HttpRequest, sub_agreement: SubAgreement):
    data = request.POST if request.method == "POST" else None
    form = SubAgreementForm(data, instance=sub_agreement)
    formsets = {
        "parties": PartyFormSet(data, instance=sub_agreement, prefix="parter",
                                queryset=selectors.sub_agreement_parties().order_by("order", "id")),
        "activities": ActivityFormSet(data, instance=sub_agreement, prefix="aktiviteter"),
        "staff_resources": StaffResourceFormSet(data, instance=sub_agreement, prefix="medarbejdere",
                                                queryset=StaffResource.objects.prefetch_related("contacts")),
    }
    return form, formsets


@login_required
def subagreement_edit(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    """The delaftale editor: every field with parties, activities and staff resources on one page."""
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    sub_agreement = sub_agreement_for(access, area, children=False)
    form, formsets = _editor_forms(request, sub_agreement)
    conflict = None
    if request.method == "POST":
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            expected = expected_version(request, form.cleaned_data["version"])
            fields = {name: form.cleaned_data[name] for name in form.document_fields}
            try:
                changed = services.subagreement_save(
                    sub_agreement=sub_agreement, expected_version=expected, fields=fields,
                    **{name: fs.child_changes() for name, fs in formsets.items()},
                )
            except services.VersionConflict as exc:
                conflict = conflict_context(sub_agreement, exc, form.cleaned_data["version"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Delaftalen er gemt." if changed else "Der var ingen ændringer at gemme.")
                return redirect(sub_agreement.get_absolute_url())
        else:
            messages.error(request, "Delaftalen er ikke gemt. Ret fejlene, der er markeret med rødt.")
    findings = plan_findings(access.plan)
    return render(request, "agreements/subagreement_form.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "form": form,
        "state": document_status(sub_agreement),
        "parties": formsets["parties"], "activities": formsets["activities"],
        "staff_resources": formsets["staff_resources"],
        "findings_index": index_findings(findings),
        "document_findings": [f for f in findings if f.obj is not None and f.obj == sub_agreement and not f.field],
        "clauses": clauses_by_field(), "conflict": conflict,
    }, status=409 if conflict else 200)


@login_required
def subagreement_history(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = sub_agreement_for(access, area, children=False)
    page = Paginator(history.subagreement_changes(sub_agreement), 50).get_page(request.GET.get("side"))
    return render(request, "agreements/subagreement_history.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "page": page,
        "deleted_activities": history.deleted_activities(sub_agreement) if access.can_edit else [],
    })


@login_required
@require_POST
def activity_restore(request: HttpRequest, slug: str, area: str, history_id: int) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    sub_agreement = sub_agreement_for(access, area, children=False)
    try:
        activity = history.activity_restore(sub_agreement=sub_agreement, history_id=history_id)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, f"Aktiviteten »{activity.name}« er gendannet.")
    return redirect("agreements:subagreement_history", slug=slug, area=area)


@login_required
def subagreement_changes(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    """Ændringer siden sidste godkendelse: today's delaftale compared with its last approval."""
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = sub_agreement_for(access, area, children=False)
    return changes_page(request, access, sub_agreement)


@login_required
def activity_edit(request: HttpRequest, slug: str, area: str, pk: int | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    sub_agreement = sub_agreement_for(access, area, children=False)
    activity = selectors.get_activity(sub_agreement, pk) if pk else Activity(sub_agreement=sub_agreement)
    form = ActivityForm(request.POST or None, instance=activity, sub_agreement=sub_agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expected = expected_version(request, data["version"])
        try:
            services.activity_save(
                activity=activity, expected_version=expected,
                fields={name: data[name] for name in ("name", "short_description", "purpose", "target_group",
                                                      "content", "anchoring", "responsibilities", "locations",
                                                      "municipal_cofinancing", "revision")},
                housing_areas=list(data["housing_areas"]),
                responsible_organisations=list(data["responsible_organisations"]),
                contacts=list(data["contacts"]),
            )
        except services.VersionConflict as exc:
            conflict = conflict_context(sub_agreement, exc, data["version"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Aktiviteten »{activity.name}« er gemt.")
            return redirect(f"{sub_agreement.get_absolute_url()}#aktivitet-{activity.pk}")
    findings = plan_findings(access.plan)
    return render(request, "agreements/activity_form.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "activity": activity, "form": form,
        "findings_index": index_findings(findings), "conflict": conflict,
    }, status=409 if conflict else 200)


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.COMMENT)
    sub_agreement = sub_agreement_for(access, area, children=False) if area else None
    form = CommentForm(request.POST)
    if form.is_valid():
        events.comment_post(plan=access.plan, author=request.user, text=form.cleaned_data["text"],
                            sub_agreement=sub_agreement)
        messages.success(request, "Kommentaren er gemt.")
    else:
        messages.error(request, "Skriv en kommentar, før du gemmer.")
    target = sub_agreement.get_absolute_url() if sub_agreement else access.plan.get_absolute_url()
    return redirect(f"{target}#kommentarer")
