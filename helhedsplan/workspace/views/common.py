"""What the workspace pages share: the document a URL names, its workflow panel, conflicts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from agreements import selectors, services
from agreements.forms import (
    ApprovalForm,
    ReturnForm,
)
from agreements.models import (
    StrategicAgreement,
    SubAgreement,
)
from budgets.models import Budget
from helhedsplan.approvals import diff, history
from helhedsplan.approvals.selectors import approvals_of
from helhedsplan.approvals.state import document_state
from helhedsplan.findings import plan_findings


def expected_version(request: HttpRequest, loaded: int) -> int:
    """The version the editor overwrites: the one it loaded, or (after a conflict) the one it was shown.
    Anything but a number counts as the loaded version, so a tampered field cannot cause an error page."""
    shown = request.POST.get("overwrite_version", "")
    return int(shown) if shown.isdecimal() else loaded


def sub_agreement_for(access: selectors.PlanAccess, area: str, *, children: bool = True) -> SubAgreement:
    return selectors.get_sub_agreement(access.plan, area, children=children)


# The ``document_kind`` the budget's workflow URLs pass to the shared workflow views.
BUDGET = "budget"


def workflow_urls(document) -> dict[str, str]:
    if isinstance(document, Budget):
        kwargs = {"slug": document.plan.slug}
        urls = {action: reverse(f"budgets:budget_{action}", kwargs=kwargs)
                for action in ("submit", "return", "approve", "changes")}
        return {**urls, "edit": document.get_absolute_url()}
    if isinstance(document, SubAgreement):
        prefix, kwargs = "subagreement", {"slug": document.plan.slug, "area": document.focus_area.slug}
    else:
        prefix, kwargs = "strategic", {"slug": document.plan.slug}
    return {action: reverse(f"agreements:{prefix}_{action}", kwargs=kwargs)
            for action in ("submit", "return", "approve", "changes", "edit")}


def workflow_context(document, access, findings) -> dict:
    state = document_state(document)
    return {
        "document": document,
        "state": state,
        "wf_urls": workflow_urls(document),
        "latest_approval": state.latest_approval,
        "approvals": approvals_of(document),
        "has_errors": any(f.is_error for f in findings),
        "error_findings": [f for f in findings if f.is_error],
        "approval_form": ApprovalForm(initial={"version": document.version}) if access.can_approve else None,
        "return_form": ReturnForm() if access.can_return else None,
        "may_submit": access.can_submit and state.is_draft,
    }


def conflict_context(document, exc: services.VersionConflict, seen_version: int) -> dict:
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


def document_for(access: selectors.PlanAccess, area: str | None, document_kind: str | None = None):
    """The document a workflow URL names: the budget (``document_kind``), a delaftale (``area``) or the
    strategic agreement."""
    if document_kind == BUDGET:
        budget = Budget.objects.filter(plan=access.plan).select_related("plan", "plan__pulje").first()
        if budget is None:
            raise Http404("Helhedsplanen har intet budget.")
        return budget
    if area is None:
        agreement = StrategicAgreement.objects.filter(plan=access.plan).first()
        if agreement is None:
            raise Http404("Samarbejdsaftalen er ikke oprettet.")
        return agreement
    return sub_agreement_for(access, area)


def document_url(document) -> str:
    if isinstance(document, Budget | SubAgreement):
        return document.get_absolute_url()
    return reverse("agreements:strategic_detail", kwargs={"slug": document.plan.slug})


def changes_page(request, access, document) -> HttpResponse:
    findings = plan_findings(access.plan)
    context = workflow_context(document, access, findings)
    state = context["state"]
    return render(request, "agreements/changes.html", {
        "plan": access.plan, "access": access, "is_sub": isinstance(document, SubAgreement),
        "diff": diff.compare(state.latest_approval.data if state.latest_approval else None, state.snapshot),
        **context,
    })
