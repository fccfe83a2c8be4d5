"""Who is told when a document moves through the bestyrelse's workflow, and with which links."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from agreements.models import PlanMembership, SubAgreement
from budgets.models import Budget
from helhedsplan.formatting import format_date
from helhedsplan.notifications.events import plan_members
from helhedsplan.notifications.models import Kind, Notification
from helhedsplan.notifications.services import absolute, notify

from .models import Approval
from .state import Document, latest_approval


def _name(document: Document) -> str:
    if isinstance(document, Budget):
        return "budgetarket"
    return ("delaftalen for " + str(document.focus_area) if isinstance(document, SubAgreement)
            else "den strategiske samarbejdsaftale")


def _kwargs(document: Document) -> dict[str, str]:
    kwargs = {"slug": document.plan.slug}
    if isinstance(document, SubAgreement):
        kwargs["area"] = document.focus_area.slug
    return kwargs


def _prefix(document: Document) -> str:
    """The namespace and prefix of the document's workflow URL names."""
    if isinstance(document, Budget):
        return "budgets:budget"
    return "agreements:subagreement" if isinstance(document, SubAgreement) else "agreements:strategic"


def _page(document: Document, name: str) -> str:
    if isinstance(document, Budget) and name == "detail":
        return document.get_absolute_url()
    return reverse(f"{_prefix(document)}_{name}", kwargs=_kwargs(document))


def document_pdf_path(document: Document) -> str:
    """The PDF of the document as it is now."""
    if isinstance(document, Budget):
        return reverse("documents:budget_pdf", kwargs={"slug": document.plan.slug})
    if isinstance(document, SubAgreement):
        return reverse("documents:delaftale_pdf", kwargs=_kwargs(document))
    return reverse("documents:samarbejdsaftale_pdf", kwargs={"slug": document.plan.slug})


def document_changes_path(document: Document) -> str:
    """What changed since the bestyrelse last approved the document."""
    return _page(document, "changes")


def _actor(by: AbstractBaseUser) -> str:
    return by.get_full_name() or by.get_username()


def submitted(document: Document, *, by: AbstractBaseUser) -> list[Notification]:
    """The bestyrelse hears that a document awaits it."""
    previous = latest_approval(document)
    return notify(
        kind=Kind.SUBMITTED, users=plan_members(document.plan, role=PlanMembership.Role.BOARD, excluding=by),
        # Each sending is its own event (its entry in the document's history).
        event_key=f"submitted:{document._meta.model_name}:{document.pk}:{document.history.latest().history_id}",
        url=_page(document, "detail"), plan=document.plan,
        context={"document_name": _name(document), "actor_name": _actor(by),
                 "pdf_link": absolute(document_pdf_path(document)),
                 "changes_link": absolute(document_changes_path(document)) if previous else ""})


def returned(document: Document, *, by: AbstractBaseUser, reason: str) -> list[Notification]:
    """The secretariat hears that a document came back, and why."""
    return notify(
        kind=Kind.RETURNED,
        users=plan_members(document.plan, role=PlanMembership.Role.SECRETARIAT, excluding=by),
        event_key=f"returned:{document._meta.model_name}:{document.pk}:{document.history.latest().history_id}",
        url=_page(document, "detail"), plan=document.plan,
        context={"document_name": _name(document), "actor_name": _actor(by), "reason": reason.strip()})


def approved(approval: Approval, document: Document) -> list[Notification]:
    """The secretariat hears of the approval, and whether LBF must approve too."""
    return notify(
        kind=Kind.APPROVED, users=plan_members(document.plan, role=PlanMembership.Role.SECRETARIAT),
        event_key=f"approved:{approval.pk}",
        url=approval.get_absolute_url(),
        plan=document.plan,
        context={"document_name": _name(document), "meeting_date": format_date(approval.meeting_date),
                 "needs_lbf": approval.requires_lbf_approval, "pdf_link": absolute(approval.get_pdf_url())})
