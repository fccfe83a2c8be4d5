"""Writes of a plan's team: invitations (send, send again, withdraw, accept) and removing members.

The sekretariat's actions check ``MANAGE_TEAM`` at the moment they run; each function runs in one
transaction and locks the rows it decides on, so two people acting at once cannot both succeed where
only one may (accept one invitation twice, remove the last two sekretariat members together).

An invitation's link carries a signed, timestamped token naming the invitation and its sending: it
works for ``INVITATION_VALID_FOR`` after it was sent, only while it is the newest sending (a resend
gives a new link), and only while the invitation is open (not accepted, not withdrawn).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from agreements import permissions
from agreements.models import Plan, PlanMembership
from helhedsplan.formatting import format_date
from helhedsplan.notifications.models import Kind
from helhedsplan.notifications.services import notify_address

from .models import Invitation

INVITATION_SALT = "helhedsplan.team.invitation"
INVITATION_VALID_FOR = timedelta(days=14)

INVALID = "Linket er ikke gyldigt. Brug linket fra e-mailen, som det er."
EXPIRED = ("Linket er udløbet: en invitation gælder i 14 dage. Bed planens sekretariat om at sende "
           "invitationen igen.")
REPLACED = "Der er sendt en nyere invitation til dig. Brug linket i den nyeste e-mail."
WITHDRAWN = "Invitationen er trukket tilbage af planens sekretariat."
USED = "Invitationen er allerede taget imod. Log ind for at se planen."
WRONG_USER = "Invitationen er sendt til {email}. Log ind som den bruger, der har den e-mailadresse."
ACCOUNT_EXISTS = "Der findes allerede en bruger med e-mailadressen {email}. Log ind for at tage imod invitationen."
OPTED_OUT = "Modtageren har frabedt sig invitationer fra Helhedsplan, så invitationen er ikke sendt."
NOT_OPEN = "Invitationen er ikke længere åben."
ALREADY_MEMBER = "{email} er allerede med i planen."
ALREADY_INVITED = "Der er allerede en åben invitation til {email}. Send den igen i stedet."
LAST_SECRETARIAT = ("Planen skal have mindst ét medlem af sekretariatet. Invitér en ny til sekretariatet, før du "
                    "fjerner den sidste.")
MEMBER_GONE = "Medlemmet er allerede fjernet fra planen."


class InvitationRefused(Exception):
    """An invitation link that cannot be used; ``str()`` is the Danish reason."""


# --- The link --------------------------------------------------------------------------------------

def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=INVITATION_SALT)


def invitation_token(invitation: Invitation, *, signer: signing.TimestampSigner | None = None) -> str:
    """The signed token of the invitation's latest sending (signed now, by ``signer`` if given)."""
    return (signer or _signer()).sign_object({"i": invitation.pk, "n": invitation.sent_count})


def invitation_path(invitation: Invitation) -> str:
    return reverse("team:accept", kwargs={"token": invitation_token(invitation)})


def _read(token: str, *, lock: bool) -> Invitation:
    try:
        payload = _signer().unsign_object(token, max_age=INVITATION_VALID_FOR)
    except signing.SignatureExpired as exc:
        raise InvitationRefused(EXPIRED) from exc
    except signing.BadSignature as exc:
        raise InvitationRefused(INVALID) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int) or not isinstance(payload.get("n"), int):
        raise InvitationRefused(INVALID)
    invitations = Invitation.objects.select_related("plan")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=payload["i"]).first()
    if invitation is None:
        raise InvitationRefused(INVALID)
    if invitation.withdrawn_at is not None:
        raise InvitationRefused(WITHDRAWN)
    if invitation.accepted_at is not None:
        raise InvitationRefused(USED)
    if payload["n"] != invitation.sent_count:
        raise InvitationRefused(REPLACED)
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names, or ``InvitationRefused`` with the reason it cannot be used."""
    return _read(token, lock=False)


def users_with_email(email: str) -> QuerySet:
    """Users whose e-mail is ``email`` (compared case-insensitively)."""
    return get_user_model().objects.filter(email__iexact=email.strip())


def may_accept(invitation: Invitation, user: AbstractBaseUser) -> bool:
    """An invitation is accepted by the account of the address it was sent to."""
    return bool(user.is_authenticated and user.is_active and user.email
                and user.email.strip().lower() == invitation.email.lower())


# --- The sekretariat's actions ---------------------------------------------------------------------

def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update(of=("self",)).select_related("plan").get(pk=invitation.pk)


def _save(invitation: Invitation, by: AbstractBaseUser, fields: list[str] | None = None) -> None:
    invitation._history_user = by  # also outside a request (the history middleware's user)
    invitation.save(update_fields=fields)


def _send(invitation: Invitation, *, by: AbstractBaseUser) -> None:
    """A new sending: a new link by e-mail (the earlier links stop working)."""
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()
    _save(invitation, by, ["sent_count", "last_sent_at"])
    valid_until = timezone.localdate(invitation.last_sent_at + INVITATION_VALID_FOR)
    sent = notify_address(
        kind=Kind.INVITATION, email=invitation.email, event_key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        url=invitation_path(invitation), plan=invitation.plan,
        context={"invitation": invitation, "role": invitation.get_role_display().lower(),
                 "invited_by": by.get_full_name() or by.get_username(), "valid_until": format_date(valid_until)},
    )
    if sent is None:
        raise ValidationError({"email": OPTED_OUT})


@transaction.atomic
def invitation_create(*, plan: Plan, email: str, role: str, by: AbstractBaseUser) -> Invitation:
    """Invite an e-mail address to the plan with a role, and send the link."""
    permissions.require(by, permissions.MANAGE_TEAM, plan)
    email = email.strip().lower()
    if PlanMembership.objects.filter(plan=plan, user__email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_MEMBER.format(email=email)})
    if plan.invitations.open().filter(email=email).exists():
        raise ValidationError({"email": ALREADY_INVITED.format(email=email)})
    invitation = Invitation(plan=plan, email=email, role=role, invited_by=by)
    invitation.full_clean()
    try:
        with transaction.atomic():
            _save(invitation, by)
    except IntegrityError as exc:  # invited by somebody else at the same moment
        raise ValidationError({"email": ALREADY_INVITED.format(email=email)}) from exc
    _send(invitation, by=by)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: AbstractBaseUser) -> Invitation:
    """Send the invitation again with a new link, valid from now; the earlier links stop working."""
    invitation = _locked(invitation)
    permissions.require(by, permissions.MANAGE_TEAM, invitation.plan)
    if not invitation.is_open:
        raise ValidationError(NOT_OPEN)
    _send(invitation, by=by)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: AbstractBaseUser) -> Invitation:
    """Withdraw an open invitation: its links stop working."""
    invitation = _locked(invitation)
    permissions.require(by, permissions.MANAGE_TEAM, invitation.plan)
    if not invitation.is_open:
        raise ValidationError(NOT_OPEN)
    invitation.withdrawn_at = timezone.now()
    _save(invitation, by, ["withdrawn_at"])
    return invitation


@transaction.atomic
def member_remove(*, membership: PlanMembership, by: AbstractBaseUser) -> None:
    """Take a member off the plan; the plan always keeps at least one sekretariat member."""
    permissions.require(by, permissions.MANAGE_TEAM, membership.plan)
    secretariat = list(PlanMembership.objects.select_for_update().filter(
        plan_id=membership.plan_id, role=PlanMembership.Role.SECRETARIAT).values_list("pk", flat=True))
    current = PlanMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError(MEMBER_GONE)
    if current.role == PlanMembership.Role.SECRETARIAT and secretariat == [current.pk]:
        raise ValidationError(LAST_SECRETARIAT)
    current._history_user = by
    current.delete()


# --- Accepting -------------------------------------------------------------------------------------

def _join(invitation: Invitation, user: AbstractBaseUser) -> PlanMembership:
    membership = PlanMembership.objects.filter(plan=invitation.plan, user=user).first()
    if membership is None:  # a member already keeps the role they have
        membership = PlanMembership(plan=invitation.plan, user=user, role=invitation.role)
        membership.full_clean()
        membership._history_user = user
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    _save(invitation, user, ["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> PlanMembership:
    """The invited person, logged in with the invited address, joins the plan with the invitation's role."""
    invitation = _read(token, lock=True)
    if not may_accept(invitation, user):
        raise InvitationRefused(WRONG_USER.format(email=invitation.email))
    return _join(invitation, user)


def _free_username(email: str) -> str:
    """A username from the address's local part ("mette.hansen"), numbered if it is taken."""
    user_model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "bruger"
    username, number = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}{number}"
    return username


@transaction.atomic
def invitation_accept_new_user(*, token: str, first_name: str, last_name: str, password: str) -> AbstractBaseUser:
    """A person without a user: create one for the invited address (the password must pass Django's
    password validators) and join the plan with the invitation's role."""
    invitation = _read(token, lock=True)
    if users_with_email(invitation.email).exists():
        raise InvitationRefused(ACCOUNT_EXISTS.format(email=invitation.email))
    user = get_user_model()(username=_free_username(invitation.email), email=invitation.email,
                            first_name=first_name.strip(), last_name=last_name.strip())
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _join(invitation, user)
    return user
