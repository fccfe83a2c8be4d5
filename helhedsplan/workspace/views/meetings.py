"""Bestyrelsesmøder: the plan's meetings, a meeting's agenda, and approving the agenda's documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agreements import permissions, selectors
from helhedsplan.approvals import selectors as meeting_selectors
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.forms import AgendaApprovalForm, MeetingForm
from helhedsplan.approvals.models import BoardMeeting
from helhedsplan.documents import services as document_services
from helhedsplan.forms import add_service_errors, error_messages


def _meeting(access: permissions.PlanAccess, pk: int) -> BoardMeeting:
    meeting = get_object_or_404(BoardMeeting, plan=access.plan, pk=pk)
    meeting.plan = access.plan  # the plan as read for this user (with their role)
    return meeting


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    return render(request, "agreements/meeting_list.html", {
        "plan": access.plan, "access": access, "meetings": meeting_selectors.plan_meetings(access.plan),
    })


@login_required
def meeting_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Create a meeting, or change its date, place, referat and agenda (secretariat)."""
    access = selectors.get_plan_access(request.user, slug, permissions.MANAGE_MEETINGS)
    plan = access.plan
    meeting = _meeting(access, pk) if pk else None
    if meeting is not None:
        candidates = meeting_selectors.agenda_candidates(meeting)
        on_agenda = workflow.agenda_documents(meeting)
    else:
        candidates = [row for row in meeting_selectors.plan_documents(plan) if row.state.is_submitted]
        on_agenda = []
    form = MeetingForm(request.POST or None, instance=meeting, candidates=candidates, on_agenda=on_agenda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if meeting is None:
                    saved = workflow.meeting_create(plan=plan, by=request.user, date=data["date"],
                                                    place=data["place"], referat=data["referat"])
                else:
                    saved = workflow.meeting_update(meeting=meeting, by=request.user, date=data["date"],
                                                    place=data["place"], referat=data["referat"])
                workflow.meeting_agenda_set(meeting=saved, by=request.user, documents=form.chosen_documents())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Bestyrelsesmødet er gemt.")
            return redirect("agreements:meeting_detail", slug=plan.slug, pk=saved.pk)
    return render(request, "agreements/meeting_form.html",
                  {"plan": plan, "access": access, "form": form, "meeting": meeting})


@login_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The meeting with its agenda: each document's PDF and changes, and the approval of them all."""
    access = selectors.get_plan_access(request.user, slug)
    meeting = _meeting(access, pk)
    rows = meeting_selectors.meeting_agenda(meeting)
    approval_form = None
    blockers: list[str] = []
    if access.can_approve:
        blockers = workflow.meeting_approval_blockers(meeting)
        if not blockers:
            approval_form = AgendaApprovalForm(rows=rows, initial={"referat": meeting.referat})
    return render(request, "agreements/meeting_detail.html", {
        "plan": access.plan, "access": access, "meeting": meeting, "rows": rows,
        "approval_form": approval_form, "approval_blockers": blockers,
        "approved": any(row.approved_here for row in rows),
    })


@login_required
@require_POST
def meeting_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """"Godkend dagsordenens dokumenter": all of them, or none."""
    access = selectors.get_plan_access(request.user, slug, permissions.APPROVE)
    meeting = _meeting(access, pk)
    form = AgendaApprovalForm(request.POST, rows=meeting_selectors.meeting_agenda(meeting))
    if not form.is_valid():
        problems = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, "Intet er godkendt: skriv mødets referat, før dokumenterne godkendes."
                       if "referat" in form.errors and not form.data.get("referat", "").strip()
                       else f"Intet er godkendt: {problems}")
        return redirect(meeting.get_absolute_url())
    try:
        approvals = document_services.meeting_approve_agenda(
            meeting=meeting, by=request.user, referat=form.cleaned_data["referat"],
            expected_versions=form.expected_versions())
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, f"Dagsordenens {len(approvals)} dokumenter er godkendt." if len(approvals) > 1
                         else "Dagsordenens dokument er godkendt.")
    return redirect(meeting.get_absolute_url())
