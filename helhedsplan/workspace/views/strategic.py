"""The strategic agreement: its page, editor and changes since the last approval."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agreements import permissions, selectors, services
from agreements.forms import (
    AgreementPartyFormSet,
    ProblemComplexFormSet,
    StrategicAgreementForm,
    changed_rows,
)
from agreements.models import (
    PlanFocusArea,
    StrategicAgreement,
)
from helhedsplan.approvals.state import document_status
from helhedsplan.findings import plan_findings
from helhedsplan.forms import add_service_errors
from helhedsplan.templatetags.findings import index_findings

from .common import changes_page, conflict_context, document_for, expected_version, workflow_context


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
        **workflow_context(agreement, access, findings),
    })
    return render(request, "agreements/strategic_detail.html", context)


@login_required
def strategic_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategic agreement editor: sections, parties and signatories, problemkomplekser."""
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    agreement = StrategicAgreement.objects.filter(plan=access.plan).first()
    if agreement is None and request.method == "POST":
        agreement = services.strategic_agreement_get_or_create(plan=access.plan)
    elif agreement is None:
        agreement = StrategicAgreement(plan=access.plan)  # opening the form writes nothing
    data = request.POST if request.method == "POST" else None
    form = StrategicAgreementForm(data, instance=agreement)
    parties = AgreementPartyFormSet(data, instance=agreement, prefix="parter",
                                    queryset=selectors.agreement_parties().order_by("order", "id"))
    areas = ProblemComplexFormSet(data, prefix="omraader", queryset=PlanFocusArea.objects.filter(plan=access.plan)
                                  .select_related("focus_area"))
    conflict = None
    if request.method == "POST":
        if form.is_valid() and parties.is_valid() and areas.is_valid():
            expected = expected_version(request, form.cleaned_data["version"])
            try:
                changed = services.strategic_agreement_save(
                    agreement=agreement, expected_version=expected,
                    fields={name: form.cleaned_data[name] for name in form.document_fields},
                    parties=parties.child_changes(), focus_areas=changed_rows(areas),
                )
            except services.VersionConflict as exc:
                conflict = conflict_context(agreement, exc, form.cleaned_data["version"])
            except ValidationError as exc:
                add_service_errors(form, exc)
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
        "state": document_status(agreement) if agreement.pk else None,
    }, status=409 if conflict else 200)


@login_required
def strategic_changes(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    return changes_page(request, access, document_for(access, None))

