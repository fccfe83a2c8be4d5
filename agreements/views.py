"""The workspace for secretariat and bestyrelse. Thin: access and reads come from ``selectors``,
writes from ``services``, ``workflow`` and ``history``.

Every plan-scoped view starts with ``selectors.get_plan_access`` (→ ``get_plan_for_user``): plans the
user cannot see answer 404, actions their role does not allow answer 403.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from helhedsplan.findings import plan_findings

from . import diff, history, page_cache, revisions, selectors, services, snapshots, workflow
from .forms import (
    ActivityForm,
    ActivityFormSet,
    AgreementPartyFormSet,
    ApprovalForm,
    ClauseForm,
    CommentForm,
    ContactForm,
    LbfApprovalForm,
    NewSubAgreementForm,
    OrganisationForm,
    PartyFormSet,
    ProblemComplexFormSet,
    ReturnForm,
    StaffResourceFormSet,
    StrategicAgreementForm,
    SubAgreementForm,
    changed_rows,
)
from .models import (
    Activity,
    AgreementParty,
    Approval,
    Clause,
    Comment,
    Contact,
    Organisation,
    PlanFocusArea,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)
from .templatetags.workspace import index_findings

CLAUSE_FIELDS = {
    "municipal_coherence": Clause.Category.MUNICIPAL,
    "conflict_handling": Clause.Category.CONFLICT,
    "revision": Clause.Category.REVISION,
}


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Dashboard and plan ---------------------------------------------------------------------------

@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The dashboard: the user's plans, the status of each document, open findings, recent changes."""
    plans = list(selectors.plans_visible_to(request.user).select_related("pulje", "municipality"))
    member_plan_ids = set(request.user.plan_memberships.values_list("plan_id", flat=True))
    today = timezone.localdate()
    cards = []
    for plan in plans:
        if plan.pk not in member_plan_ids:
            continue
        access = selectors.plan_access(request.user, plan)
        cards.append({"plan": plan, "html": revisions.cached(
            "dashboard_card", plan, f"{access.cache_variant}:{today}", partial(_plan_card, access))})
    member_plans = [card["plan"] for card in cards]
    return render(request, "agreements/dashboard.html", {
        "cards": cards,
        "other_plans": [plan for plan in plans if plan.pk not in member_plan_ids],
        "recent_changes": history.plan_changes(member_plans, limit=10) if member_plans else [],
    })


def _plan_card(access: selectors.PlanAccess) -> str:
    """One plan's card on the dashboard (cached per plan revision, role and day)."""
    findings = plan_findings(access.plan)
    return render_to_string("agreements/_plan_card.html", {"card": {
        "plan": access.plan,
        "access": access,
        "documents": selectors.plan_documents(access.plan),
        "errors": [f for f in findings if f.is_error],
        "warnings": [f for f in findings if not f.is_error],
    }})


def _plan_detail_parts(access: selectors.PlanAccess) -> dict[str, str]:
    """The plan page's shared parts: the same for every user with the same role on the plan."""
    plan = access.plan
    findings = plan_findings(plan)
    context = selectors.plan_overview(plan)
    context.update({
        "access": access,
        "documents": selectors.plan_documents(plan),
        "findings": findings,
        "findings_index": index_findings(findings),
        "recent_changes": history.plan_changes(plan, limit=8),
        "can_add_subagreement": access.can_edit and NewSubAgreementForm(plan=plan)
        .fields["focus_area"].queryset.exists(),
    })
    parts = {part: render_to_string(f"agreements/_plan_detail_{part}.html", context) for part in ("head", "body")}
    parts["comments"] = render_to_string("agreements/_comment_list.html", {
        "comments": Comment.objects.filter(plan=plan, sub_agreement=None).select_related("author")})
    parts["comment_field"] = render_to_string("agreements/_field.html", {"field": CommentForm()["text"]}) \
        if access.can_comment else ""
    return parts


@login_required
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return page_cache.personal_page(request, slug, partial(_plan_detail, request, slug))


def _plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, related=False)  # the cached parts need no more
    plan = access.plan
    parts = revisions.cached("plan_detail", plan, f"{access.cache_variant}:{timezone.localdate()}",
                             lambda: _plan_detail_parts(access))
    return render(request, "agreements/plan_detail.html", {
        "plan": plan,
        "access": access,
        "parts": parts,
        "comments_html": parts["comments"],
        "comment_field_html": parts["comment_field"],
        "comment_form": access.can_comment,
    })


@login_required
def plan_history(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    page = Paginator(history.plan_changes(access.plan), 50).get_page(request.GET.get("side"))
    return render(request, "agreements/plan_history.html", {"plan": access.plan, "access": access, "page": page})


# --- Delaftale ----------------------------------------------------------------------------------

def _sub_agreement(access: selectors.PlanAccess, area: str) -> SubAgreement:
    return selectors.get_sub_agreement(access.plan, area)


@login_required
def subagreement_detail(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = _sub_agreement(access, area)
    findings = plan_findings(access.plan)
    latest = selectors.latest_approval(sub_agreement)
    return render(request, "agreements/subagreement_detail.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement,
        "findings_index": index_findings(findings),
        "document_findings": [f for f in findings if f.obj is not None and f.obj == sub_agreement],
        **_workflow_context(sub_agreement, access, latest, findings),
        "comments": Comment.objects.filter(sub_agreement=sub_agreement).select_related("author"),
        "comment_form": CommentForm() if access.can_comment else None,
    })


def _workflow_urls(document) -> dict[str, str]:
    if isinstance(document, SubAgreement):
        prefix, kwargs = "subagreement", {"slug": document.plan.slug, "area": document.focus_area.slug}
    else:
        prefix, kwargs = "strategic", {"slug": document.plan.slug}
    return {action: reverse(f"agreements:{prefix}_{action}", kwargs=kwargs)
            for action in ("submit", "return", "approve", "changes", "edit")}


def _workflow_context(document, access, latest, findings) -> dict:
    return {
        "document": document,
        "wf_urls": _workflow_urls(document),
        "latest_approval": latest,
        "approvals": selectors.approvals_of(document),
        "has_errors": any(f.is_error for f in findings),
        "error_findings": [f for f in findings if f.is_error],
        "approval_form": ApprovalForm(initial={"version": document.version}) if access.can_approve else None,
        "return_form": ReturnForm() if access.can_comment else None,
    }


@login_required
def subagreement_new(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    form = NewSubAgreementForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            sub_agreement = services.subagreement_create(plan=access.plan, focus_area=form.cleaned_data["focus_area"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Delaftalen er oprettet. Udfyld den herunder.")
            return redirect("agreements:subagreement_edit", slug=slug, area=sub_agreement.focus_area.slug)
    return render(request, "agreements/subagreement_new.html", {"plan": access.plan, "access": access, "form": form})


def _editor_forms(request: HttpRequest, sub_agreement: SubAgreement):
    data = request.POST if request.method == "POST" else None
    form = SubAgreementForm(data, instance=sub_agreement)
    formsets = {
        "parties": PartyFormSet(data, instance=sub_agreement, prefix="parter",
                                queryset=SubAgreementParty.objects.select_related("organisation", "contact")),
        "activities": ActivityFormSet(data, instance=sub_agreement, prefix="aktiviteter"),
        "staff_resources": StaffResourceFormSet(data, instance=sub_agreement, prefix="medarbejdere"),
    }
    return form, formsets


@login_required
def subagreement_edit(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    """The delaftale editor: every field with parties, activities and staff resources on one page."""
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    sub_agreement = _sub_agreement(access, area)
    form, formsets = _editor_forms(request, sub_agreement)
    conflict = None
    if request.method == "POST":
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            expected = int(request.POST.get("overwrite_version") or form.cleaned_data["version"])
            fields = {name: form.cleaned_data[name] for name in SubAgreementForm.Meta.fields}
            try:
                changed = services.subagreement_save(
                    sub_agreement=sub_agreement, expected_version=expected, fields=fields,
                    **{name: fs.child_changes() for name, fs in formsets.items()},
                )
            except services.VersionConflict as exc:
                conflict = _conflict_context(sub_agreement, exc, form.cleaned_data["version"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Delaftalen er gemt." if changed else "Der var ingen ændringer at gemme.")
                return redirect(sub_agreement.get_absolute_url())
        else:
            messages.error(request, "Delaftalen er ikke gemt. Ret fejlene, der er markeret med rødt.")
    findings = plan_findings(access.plan)
    return render(request, "agreements/subagreement_form.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "form": form,
        "parties": formsets["parties"], "activities": formsets["activities"],
        "staff_resources": formsets["staff_resources"],
        "findings_index": index_findings(findings),
        "document_findings": [f for f in findings if f.obj is not None and f.obj == sub_agreement and not f.field],
        "clauses": _clauses_by_field(), "conflict": conflict,
    }, status=409 if conflict else 200)


def _conflict_context(document, exc: services.VersionConflict, seen_version: int) -> dict:
    """Who saved in the meantime, and what they changed, for the "somebody else saved" message."""
    document.refresh_from_db()
    since = type(document).history.filter(id=document.pk, version__lte=seen_version) \
        .order_by("-history_date").values_list("history_date", flat=True).first()
    if isinstance(document, SubAgreement):
        changes = history.subagreement_changes(document)
    else:
        changes = [c for c in history.plan_changes(document.plan) if c.model in ("strategicagreement",
                                                                                 "agreementparty", "planfocusarea")]
    if since is not None:
        changes = [c for c in changes if c.when > since]
    return {"message": str(exc), "current_version": exc.current, "changes": changes[:20]}


def _clauses_by_field() -> dict[str, list[Clause]]:
    clauses = list(Clause.objects.all())
    return {name: [c for c in clauses if c.category == category] for name, category in CLAUSE_FIELDS.items()}


@login_required
def subagreement_history(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = _sub_agreement(access, area)
    page = Paginator(history.subagreement_changes(sub_agreement), 50).get_page(request.GET.get("side"))
    return render(request, "agreements/subagreement_history.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "page": page,
        "deleted_activities": history.deleted_activities(sub_agreement) if access.can_edit else [],
    })


@login_required
@require_POST
def activity_restore(request: HttpRequest, slug: str, area: str, history_id: int) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    sub_agreement = _sub_agreement(access, area)
    try:
        activity = history.activity_restore(sub_agreement=sub_agreement, history_id=history_id)
    except ValidationError as exc:
        messages.error(request, " ".join(_error_messages(exc)))
    else:
        messages.success(request, f"Aktiviteten »{activity.name}« er gendannet.")
    return redirect("agreements:subagreement_history", slug=slug, area=area)


@login_required
def subagreement_changes(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    """Ændringer siden sidste godkendelse: today's delaftale compared with its last approval."""
    access = selectors.get_plan_access(request.user, slug)
    sub_agreement = _sub_agreement(access, area)
    return _changes_page(request, access, sub_agreement)


def _changes_page(request, access, document) -> HttpResponse:
    latest = selectors.latest_approval(document)
    findings = plan_findings(access.plan)
    return render(request, "agreements/changes.html", {
        "plan": access.plan, "access": access, "document": document,
        "is_sub": isinstance(document, SubAgreement),
        "diff": diff.compare(latest.data if latest else None, snapshots.document_snapshot(document)),
        **_workflow_context(document, access, latest, findings),
    })


# --- Workflow actions (POST) ------------------------------------------------------------------------

def _document(access: selectors.PlanAccess, area: str | None):
    if area is None:
        agreement = StrategicAgreement.objects.filter(plan=access.plan).first()
        if agreement is None:
            raise Http404("Samarbejdsaftalen er ikke oprettet.")
        return agreement
    return _sub_agreement(access, area)


def _document_url(document) -> str:
    if isinstance(document, SubAgreement):
        return document.get_absolute_url()
    return reverse("agreements:strategic_detail", kwargs={"slug": document.plan.slug})


@login_required
@require_POST
def document_submit(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    document = _document(access, area)
    try:
        if isinstance(document, SubAgreement):
            workflow.subagreement_submit(sub_agreement=document, by=request.user)
        else:
            workflow.strategic_agreement_submit(agreement=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(_error_messages(exc)))
    else:
        messages.success(request, "Dokumentet er sendt til behandling i bestyrelsen.")
    return redirect(_document_url(document))


@login_required
@require_POST
def document_return(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.COMMENT)
    document = _document(access, area)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if isinstance(document, SubAgreement):
            workflow.subagreement_return_to_draft(sub_agreement=document, by=request.user, reason=reason)
        else:
            workflow.strategic_agreement_return_to_draft(agreement=document, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(_error_messages(exc)))
    else:
        messages.success(request, "Dokumentet er sendt tilbage til kladde.")
    return redirect(_document_url(document))


@login_required
@require_POST
def document_approve(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.APPROVE)
    document = _document(access, area)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Godkendelsen er ikke registreret: " + "; ".join(
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
            for name, errors in form.errors.items()))
        return redirect(_document_url(document))
    kwargs = {"by": request.user, "meeting_date": form.cleaned_data["meeting_date"],
              "referat": form.cleaned_data["referat"], "expected_version": form.cleaned_data["version"]}
    try:
        if isinstance(document, SubAgreement):
            approval = workflow.subagreement_approve(sub_agreement=document, **kwargs)
        else:
            approval = workflow.strategic_agreement_approve(agreement=document, **kwargs)
    except services.VersionConflict:
        messages.error(request, "Dokumentet er blevet ændret, efter du åbnede det. Se ændringerne igen, "
                                "før du godkender.")
    except ValidationError as exc:
        messages.error(request, "Godkendelsen er ikke registreret: " + " ".join(_error_messages(exc)))
    else:
        messages.success(request, f"Godkendt. Version {approval.number} er nu den gældende.")
    return redirect(_document_url(document))


@login_required
@require_POST
def lbf_approval(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    approval = get_object_or_404(Approval, plan=access.plan, kind=Approval.Kind.STRATEGIC, number=number)
    form = LbfApprovalForm(request.POST)
    if form.is_valid():
        try:
            workflow.strategic_agreement_record_lbf_approval(
                approval=approval, by=request.user, lbf_approved_on=form.cleaned_data["lbf_approved_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(_error_messages(exc)))
        else:
            messages.success(request, "LBF's godkendelse er registreret.")
    else:
        messages.error(request, "Angiv datoen for LBF's godkendelse.")
    return redirect("agreements:strategic_detail", slug=slug)


def _approval(access: selectors.PlanAccess, number: int, area: str | None) -> Approval:
    filters = {"plan": access.plan, "number": number}
    if area is None:
        filters["kind"] = Approval.Kind.STRATEGIC
    else:
        filters.update(kind=Approval.Kind.SUBAGREEMENT, focus_area__slug=area,
                       focus_area__pulje_id=access.plan.pulje_id)
    return get_object_or_404(Approval.objects.select_related("approved_by", "focus_area"), **filters)


@login_required
def approval_detail(request: HttpRequest, slug: str, number: int, area: str | None = None) -> HttpResponse:
    """An approved version exactly as it was frozen."""
    access = selectors.get_plan_access(request.user, slug)
    approval = _approval(access, number, area)
    return render(request, "agreements/approval_detail.html", {
        "plan": access.plan, "access": access, "approval": approval, "data": approval.data,
        "lbf_form": LbfApprovalForm() if access.can_edit and approval.requires_lbf_approval
        and not approval.lbf_approved_on else None,
    })


@login_required
def approval_pdf(request: HttpRequest, slug: str, number: int, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    approval = _approval(access, number, area)
    if not approval.pdf:
        raise Http404("Der er ingen PDF til denne godkendelse.")
    name = f"{access.plan.slug}-{area or 'samarbejdsaftale'}-godkendt-v{approval.number}.pdf"
    response = HttpResponse(bytes(approval.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Activity editor ----------------------------------------------------------------------------

@login_required
def activity_edit(request: HttpRequest, slug: str, area: str, pk: int | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    sub_agreement = _sub_agreement(access, area)
    activity = selectors.get_activity(sub_agreement, pk) if pk else Activity(sub_agreement=sub_agreement)
    form = ActivityForm(request.POST or None, instance=activity, sub_agreement=sub_agreement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expected = int(request.POST.get("overwrite_version") or data["version"])
        try:
            services.activity_save(
                activity=activity, expected_version=expected,
                fields={name: data[name] for name in ("name", "purpose", "target_group", "content", "anchoring",
                                                      "responsibilities", "locations", "municipal_cofinancing")},
                housing_areas=list(data["housing_areas"]),
                responsible_organisations=list(data["responsible_organisations"]),
                contacts=list(data["contacts"]),
            )
        except services.VersionConflict as exc:
            conflict = _conflict_context(sub_agreement, exc, data["version"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Aktiviteten »{activity.name}« er gemt.")
            return redirect(f"{sub_agreement.get_absolute_url()}#aktivitet-{activity.pk}")
    findings = plan_findings(access.plan)
    return render(request, "agreements/activity_form.html", {
        "plan": access.plan, "access": access, "sub_agreement": sub_agreement, "activity": activity, "form": form,
        "findings_index": index_findings(findings), "conflict": conflict,
    }, status=409 if conflict else 200)


# --- Comments ---------------------------------------------------------------------------------------

@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.COMMENT)
    sub_agreement = _sub_agreement(access, area) if area else None
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(plan=access.plan, author=request.user, text=form.cleaned_data["text"],
                             sub_agreement=sub_agreement)
        messages.success(request, "Kommentaren er gemt.")
    else:
        messages.error(request, "Skriv en kommentar, før du gemmer.")
    target = sub_agreement.get_absolute_url() if sub_agreement else access.plan.get_absolute_url()
    return redirect(f"{target}#kommentarer")


# --- Strategic agreement --------------------------------------------------------------------------

@login_required
def strategic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    agreement = StrategicAgreement.objects.filter(plan=access.plan).first()
    if agreement is None:
        return render(request, "agreements/strategic_detail.html", {"plan": access.plan, "access": access})
    findings = plan_findings(access.plan)
    context = selectors.plan_overview(access.plan)
    context.update({
        "access": access, "agreement": agreement, "findings_index": index_findings(findings),
        **_workflow_context(agreement, access, selectors.latest_approval(agreement), findings),
    })
    return render(request, "agreements/strategic_detail.html", context)


@login_required
def strategic_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategic agreement editor: sections, parties and signatories, problemkomplekser."""
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    agreement = StrategicAgreement.objects.filter(plan=access.plan).first()
    if agreement is None:
        agreement = services.strategic_agreement_get_or_create(plan=access.plan)
    data = request.POST if request.method == "POST" else None
    form = StrategicAgreementForm(data, instance=agreement)
    parties = AgreementPartyFormSet(data, instance=agreement, prefix="parter",
                                    queryset=AgreementParty.objects.select_related("organisation"))
    areas = ProblemComplexFormSet(data, prefix="omraader", queryset=PlanFocusArea.objects.filter(plan=access.plan)
                                  .select_related("focus_area"))
    conflict = None
    if request.method == "POST":
        if form.is_valid() and parties.is_valid() and areas.is_valid():
            expected = int(request.POST.get("overwrite_version") or form.cleaned_data["version"])
            try:
                changed = services.strategic_agreement_save(
                    agreement=agreement, expected_version=expected,
                    fields={name: form.cleaned_data[name] for name in StrategicAgreementForm.Meta.fields},
                    parties=parties.child_changes(), focus_areas=changed_rows(areas),
                )
            except services.VersionConflict as exc:
                conflict = _conflict_context(agreement, exc, form.cleaned_data["version"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Samarbejdsaftalen er gemt." if changed else
                                 "Der var ingen ændringer at gemme.")
                return redirect("agreements:strategic_detail", slug=slug)
        else:
            messages.error(request, "Samarbejdsaftalen er ikke gemt. Ret fejlene, der er markeret med rødt.")
    findings = plan_findings(access.plan)
    return render(request, "agreements/strategic_form.html", {
        "plan": access.plan, "access": access, "agreement": agreement, "form": form, "parties": parties,
        "areas": areas, "findings_index": index_findings(findings), "conflict": conflict,
    }, status=409 if conflict else 200)


@login_required
def strategic_changes(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    return _changes_page(request, access, _document(access, None))


# --- Clause library ---------------------------------------------------------------------------------

@login_required
def clause_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("kategori", "")
    clauses = Clause.objects.select_related("created_by")
    if category in Clause.Category.values:
        clauses = clauses.filter(category=category)
    groups = [(label, [c for c in clauses if c.category == value]) for value, label in Clause.Category.choices]
    return render(request, "agreements/clause_list.html", {
        "groups": [(label, items) for label, items in groups if items],
        "categories": Clause.Category.choices, "category": category,
        "can_create": selectors.can_manage_partners(request.user),
    })


def _clause_prefill(request: HttpRequest) -> dict:
    """Prefill a new clause from a delaftale field (``?fra=<plan>/<area>/<field>``) the user can see."""
    initial: dict = {}
    if request.GET.get("kategori") in Clause.Category.values:
        initial["category"] = request.GET["kategori"]
    source = request.GET.get("fra", "")
    parts = source.split("/")
    if len(parts) == 3 and parts[2] in CLAUSE_FIELDS:
        plan = selectors.get_plan_for_user(request.user, parts[0])
        sub_agreement = selectors.get_sub_agreement(plan, parts[1])
        initial.update(category=CLAUSE_FIELDS[parts[2]], text=getattr(sub_agreement, parts[2]),
                       title=f"{sub_agreement.focus_area.name} ({plan.name})")
    return initial


@login_required
def clause_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Save a good text as a new clause (secretariat members), or change one's own clause."""
    if not selectors.can_manage_partners(request.user):
        raise PermissionDenied("Kun sekretariatsmedarbejdere kan gemme eksempelklausuler.")
    clause = get_object_or_404(Clause, pk=pk) if pk else Clause()
    if pk and not (request.user.is_superuser or clause.created_by_id == request.user.pk):
        raise PermissionDenied("Du kan kun rette eksempelklausuler, du selv har oprettet.")
    form = ClauseForm(request.POST or None, instance=clause, initial=None if pk else _clause_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_save(clause=clause, fields={k: form.cleaned_data[k] for k in ClauseForm.Meta.fields},
                                 by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Eksempelklausulen »{clause.title}« er gemt.")
            return redirect(f"{reverse('agreements:clause_list')}#klausul-{clause.pk}")
    return render(request, "agreements/clause_form.html", {"form": form, "clause": clause})


# --- Organisations and contacts ------------------------------------------------------------------------

@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    organisations = Organisation.objects.all()
    if query:
        organisations = organisations.filter(name__icontains=query) | organisations.filter(short_name__icontains=query)
    return render(request, "agreements/organisation_list.html", {
        "organisations": organisations.order_by("name"), "query": query,
        "can_edit": selectors.can_manage_partners(request.user),
    })


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    contacts = list(organisation.contacts.all())
    contact_uses = selectors.contacts_usage(contacts, request.user)
    return render(request, "agreements/organisation_detail.html", {
        "organisation": organisation, "uses": selectors.organisation_usage(organisation, request.user),
        "contacts": [(c, contact_uses[c.pk]) for c in contacts],
        "can_edit": selectors.can_manage_partners(request.user),
    })


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not selectors.can_manage_partners(request.user):
        raise PermissionDenied("Kun sekretariatsmedarbejdere kan oprette og rette organisationer.")
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save(organisation=organisation,
                                   fields={k: form.cleaned_data[k] for k in OrganisationForm.Meta.fields})
        messages.success(request, f"Organisationen »{organisation.name}« er gemt.")
        return redirect("agreements:organisation_detail", pk=organisation.pk)
    return render(request, "agreements/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    return render(request, "agreements/contact_detail.html", {
        "contact": contact, "uses": selectors.contact_usage(contact, request.user),
        "can_edit": selectors.can_manage_partners(request.user),
    })


@login_required
def contact_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not selectors.can_manage_partners(request.user):
        raise PermissionDenied("Kun sekretariatsmedarbejdere kan oprette og rette kontaktpersoner.")
    contact = get_object_or_404(Contact, pk=pk) if pk else Contact()
    initial = {}
    if not pk and request.GET.get("organisation", "").isdigit():
        initial["organisation"] = int(request.GET["organisation"])
    form = ContactForm(request.POST or None, instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_save(contact=contact, fields={k: form.cleaned_data[k] for k in ContactForm.Meta.fields})
        messages.success(request, f"Kontaktpersonen »{contact.name}« er gemt.")
        return redirect("agreements:contact_detail", pk=contact.pk)
    return render(request, "agreements/contact_form.html", {"form": form, "contact": contact})

