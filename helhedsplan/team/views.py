"""The plan's team page, the sekretariat's actions on it, and accepting an invitation.

Every view asks for the user's right at the moment of the request (and the services ask again).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from agreements import permissions, selectors
from agreements.models import PlanMembership
from helhedsplan.forms import add_service_errors, error_messages

from . import services
from .forms import InvitationForm, NewMemberForm


def _team_page(request: HttpRequest, access: permissions.PlanAccess, form: InvitationForm | None = None,
               status: int = 200) -> HttpResponse:
    plan = access.plan
    can_manage = access.allows(permissions.MANAGE_TEAM)
    members = (PlanMembership.objects.filter(plan=plan).select_related("user")
               .order_by("role", "user__first_name", "user__last_name", "user__username"))
    invitations = []
    if can_manage:
        expired_before = timezone.now() - services.INVITATION_VALID_FOR
        invitations = [(invitation, invitation.last_sent_at is not None and invitation.last_sent_at < expired_before)
                       for invitation in plan.invitations.open().select_related("invited_by")]
    return render(request, "team/team.html", {
        "plan": plan, "access": access, "members": members, "invitations": invitations,
        "form": form or (InvitationForm() if can_manage else None),
        "valid_days": services.INVITATION_VALID_FOR.days,
    }, status=status)


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    """Who works on the plan, and as what; for the sekretariat also the open invitations."""
    return _team_page(request, selectors.get_plan_access(request.user, slug))


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.MANAGE_TEAM)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(plan=access.plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitationen er sendt til {invitation.email}.")
            return redirect("team:team", slug=slug)
    return _team_page(request, access, form, status=400)


def _invitation_action(request: HttpRequest, slug: str, pk: int, action, done: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.MANAGE_TEAM)
    invitation = get_object_or_404(access.plan.invitations, pk=pk)
    try:
        action(invitation=invitation, by=request.user)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done.format(email=invitation.email))
    return redirect("team:team", slug=slug)


@login_required
@require_POST
def resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_action(request, slug, pk, services.invitation_resend,
                              "Invitationen er sendt igen til {email} med et nyt link.")


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_action(request, slug, pk, services.invitation_withdraw,
                              "Invitationen til {email} er trukket tilbage; linket virker ikke længere.")


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.MANAGE_TEAM)
    membership = get_object_or_404(PlanMembership.objects.select_related("user", "plan"), plan=access.plan, pk=pk)
    name = membership.user.get_full_name() or membership.user.get_username()
    try:
        services.member_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, f"{name} er fjernet fra planen.")
    return redirect("team:team", slug=slug)


def _password_backend() -> str:
    """The configured backend that checks passwords: the session of a new user names it."""
    return next(path for path in settings.AUTHENTICATION_BACKENDS if issubclass(import_string(path), ModelBackend))


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: join the plan, with a new user or one's own."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationRefused as refused:
        return render(request, "team/accept.html", {"refused": str(refused)}, status=410)
    context = {"invitation": invitation, "plan": invitation.plan}
    user = request.user
    has_account = services.users_with_email(invitation.email).exists()
    if has_account and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_authenticated and not services.may_accept(invitation, user):
        return render(request, "team/accept.html", {**context, "other_user": True}, status=403)

    form = None if has_account else NewMemberForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                membership = services.invitation_accept(token=token, user=user)
                welcome = f"Du er nu med i {invitation.plan.name} som {membership.get_role_display().lower()}."
            else:
                user = services.invitation_accept_new_user(
                    token=token, first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"])
                login(request, user, backend=_password_backend())
                welcome = (f"Velkommen til Helhedsplan. Du er nu med i {invitation.plan.name} som "
                           f"{invitation.get_role_display().lower()}. Du logger ind med din e-mailadresse.")
        except services.InvitationRefused as refused:
            return render(request, "team/accept.html", {"refused": str(refused)}, status=410)
        except ValidationError as exc:
            if form is None:
                return render(request, "team/accept.html", {"refused": " ".join(error_messages(exc))}, status=400)
            add_service_errors(form, exc)
        else:
            messages.success(request, welcome)
            return redirect(invitation.plan)
    return render(request, "team/accept.html", {**context, "form": form})
