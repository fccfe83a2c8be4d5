"""Telling people things: notification rows written in the caller's transaction, e-mails sent by the
background worker after it commits (with retries), daily digests, and the signed unsubscribe links.

``notify`` and ``notify_address`` are idempotent: a recipient gets one row per ``(kind, event_key)``,
so telling the same event twice sends nothing the second time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from agreements.models import Plan

from .models import AddressOptOut, Delivery, Kind, Notification, NotificationPreference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "helhedsplan.notifications.unsubscribe"
# Seconds to wait before the next attempt after a failed send (the last entry repeats up to MAX_ATTEMPTS).
RETRY_DELAYS = (60, 300, 1800, 7200)
# A notification to send at once that is still unsent this long after it was written lost its queued
# task (a worker or database failure between commit and queueing); the daily run queues it again.
REQUEUE_AFTER = timedelta(minutes=30)


def absolute(path: str) -> str:
    """The address of a path in the app as a link in an e-mail."""
    return settings.SITE_URL.rstrip("/") + path


# --- Unsubscribing ---------------------------------------------------------------------------------

def unsubscribe_token(*, kinds: Iterable[str], user: AbstractBaseUser | None = None, email: str = "") -> str:
    """A signed token naming the recipient and the kinds the link turns off. It carries no expiry:
    an unsubscribe link must work for as long as the e-mail is kept."""
    payload: dict[str, Any] = {"k": sorted(set(kinds))}
    if user is not None:
        payload["u"] = user.pk
    else:
        payload["e"] = email.lower()
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, kinds: Iterable[str], user: AbstractBaseUser | None = None, email: str = "") -> str:
    return absolute(reverse("notifications:unsubscribe",
                            args=[unsubscribe_token(kinds=kinds, user=user, email=email)]))


def read_unsubscribe_token(token: str) -> dict[str, Any] | None:
    """The token's payload, or None when it was not made by us (or was altered)."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    kinds = payload.get("k")
    if (not isinstance(kinds, list) or not kinds or any(kind not in Kind.values for kind in kinds)
            or not (isinstance(payload.get("u"), int) or isinstance(payload.get("e"), str))):
        return None
    return payload


@transaction.atomic
def unsubscribe(payload: dict[str, Any]) -> list[str]:
    """Turn off the token's kinds for its recipient; returns the kinds' names."""
    kinds = payload["k"]
    if "u" in payload:
        user = get_user_model().objects.filter(pk=payload["u"]).first()
        if user is not None:
            for kind in kinds:
                NotificationPreference.objects.update_or_create(user=user, kind=kind,
                                                                defaults={"delivery": Delivery.OFF})
            Notification.objects.filter(user=user, kind__in=kinds, status=Notification.Status.PENDING,
                                        delivery=Delivery.DAILY).update(status=Notification.Status.NOT_SENT)
    else:
        for kind in kinds:
            AddressOptOut.objects.get_or_create(email=payload["e"], kind=kind)
    return [Kind(kind).label for kind in kinds]


# --- Preferences -------------------------------------------------------------------------------------

# The kinds a user can choose for; invitations go to people who are not users yet.
USER_KINDS = [kind for kind in Kind if kind != Kind.INVITATION]


def preferences_for(user: AbstractBaseUser) -> dict[str, str]:
    """The user's delivery for every kind (at once where nothing was chosen)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, Delivery.IMMEDIATE) for kind in USER_KINDS}


@transaction.atomic
def preferences_save(*, user: AbstractBaseUser, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"Ukendt varslingsindstilling: {kind}={delivery}")
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


# --- Writing notifications -------------------------------------------------------------------------------

def _render(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    folder = "notifications/email"
    subject = render_to_string(f"{folder}/{kind}_subject.txt", context)
    subject = re.sub(r"\s+", " ", subject).strip()
    return subject, render_to_string(f"{folder}/{kind}.txt", context).strip() + "\n", \
        render_to_string(f"{folder}/{kind}.html", context)


def _context(*, kind: str, url: str, plan: Plan | None, context: dict[str, Any] | None,
             unsubscribe: str) -> dict[str, Any]:
    return {**(context or {}), "kind": kind, "plan": plan, "link": absolute(url), "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe, "preferences_url": absolute(reverse("notifications:preferences"))}


def _write(*, lookup: dict[str, Any], fields: dict[str, Any]) -> Notification | None:
    """Create the row unless this recipient was told of this event already (a savepoint keeps the
    caller's transaction usable when a concurrent writer won the race)."""
    if Notification.objects.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(**lookup, **fields)
    except IntegrityError:
        return None


def _send_after_commit(notifications: list[Notification]) -> None:
    ids = [n.pk for n in notifications if n.delivery == Delivery.IMMEDIATE and n.status == Notification.Status.PENDING]
    if ids:
        transaction.on_commit(lambda: [send_notification.enqueue(pk) for pk in ids])


def notify(*, kind: str, users: Iterable[AbstractBaseUser], event_key: str, url: str, plan: Plan | None = None,
           context: dict[str, Any] | None = None) -> list[Notification]:
    """Tell each user of an event, as each user wants that kind told (at once, in the daily digest, or
    only in the app). Returns the rows written now (none for users told of this event before)."""
    kind = Kind(kind).value
    recipients = {user.pk: user for user in users if user.is_active}
    if not recipients:
        return []
    chosen = dict(NotificationPreference.objects.filter(user__in=recipients, kind=kind)
                  .values_list("user_id", "delivery"))
    written = []
    for user in recipients.values():
        delivery = chosen.get(user.pk, Delivery.IMMEDIATE)
        mail_context = _context(kind=kind, url=url, plan=plan, context=context,
                                unsubscribe=unsubscribe_url(kinds=[kind], user=user))
        subject, text, html = _render(kind, {**mail_context, "recipient": user})
        status = (Notification.Status.NOT_SENT if delivery == Delivery.OFF or not user.email
                  else Notification.Status.PENDING)
        row = _write(lookup={"user": user, "kind": kind, "event_key": event_key},
                     fields={"plan": plan, "url": url, "subject": subject, "body_text": text, "body_html": html,
                             "delivery": delivery, "status": status})
        if row is not None:
            written.append(row)
    _send_after_commit(written)
    return written


def notify_address(*, kind: str, email: str, event_key: str, url: str, plan: Plan | None = None,
                   context: dict[str, Any] | None = None) -> Notification | None:
    """Tell an address without a user (an invitation), at once, unless the address opted out of the
    kind or was told of this event before."""
    kind = Kind(kind).value
    email = email.strip().lower()
    if AddressOptOut.objects.filter(email=email, kind=kind).exists():
        return None
    mail_context = _context(kind=kind, url=url, plan=plan, context=context,
                            unsubscribe=unsubscribe_url(kinds=[kind], email=email))
    subject, text, html = _render(kind, {**mail_context, "recipient_email": email})
    row = _write(lookup={"user": None, "email": email, "kind": kind, "event_key": event_key},
                 fields={"plan": plan, "url": url, "subject": subject, "body_text": text, "body_html": html})
    if row is not None:
        _send_after_commit([row])
    return row


# --- Sending ---------------------------------------------------------------------------------------------

def _message(*, to: str, subject: str, text: str, html: str, unsubscribe: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers={
        # One-click unsubscribe for mail programs (RFC 8058): they POST to the link.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    })
    message.attach_alternative(html, "text/html")
    return message


def _unsubscribe_of(notification: Notification) -> str:
    if notification.user_id:
        return unsubscribe_url(kinds=[notification.kind], user=notification.user)
    return unsubscribe_url(kinds=[notification.kind], email=notification.email)


def _retry_or_fail(rows: QuerySet[Notification], attempts: int, error: Exception, retry: Any) -> None:
    """Record a failed attempt; queue the next one later, or give up after MAX_ATTEMPTS."""
    message = f"{type(error).__name__}: {error}"[:2000]
    if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        rows.update(attempts=attempts, last_error=message, status=Notification.Status.FAILED)
        logger.error("Varsel kunne ikke sendes efter %s forsøg: %s", attempts, message)
        return
    rows.update(attempts=attempts, last_error=message)
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    retry(timezone.now() + timedelta(seconds=delay))


def notification_send(*, notification_id: int) -> str:
    """Send one notification now (the background task's body); returns its status afterwards."""
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(of=("self",)).select_related("user")
                        .filter(pk=notification_id).first())
        if notification is None or notification.status != Notification.Status.PENDING:
            return notification.status if notification else "slettet"
        if notification.user_id and (not notification.user.is_active or not notification.user.email):
            notification.status = Notification.Status.NOT_SENT
            notification.save(update_fields=["status"])
            return notification.status
        attempts = notification.attempts + 1
        try:
            _message(to=notification.recipient_address, subject=notification.subject, text=notification.body_text,
                     html=notification.body_html, unsubscribe=_unsubscribe_of(notification)).send()
        except Exception as error:  # any transport failure is retried later
            _retry_or_fail(Notification.objects.filter(pk=notification.pk), attempts, error,
                           lambda when: transaction.on_commit(
                               lambda: send_notification.using(run_after=when).enqueue(notification_id)))
            return Notification.Status.FAILED if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS else "prøves igen"
        Notification.objects.filter(pk=notification.pk).update(
            attempts=attempts, status=Notification.Status.SENT, sent_at=timezone.now(), last_error="")
    return Notification.Status.SENT


def digest_send(*, user: AbstractBaseUser, now: datetime | None = None) -> int:
    """Send the user's waiting daily notifications as one e-mail; returns how many it held."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Notification.objects.select_for_update(of=("self",)).filter(
            user=user, delivery=Delivery.DAILY, status=Notification.Status.PENDING, created_at__lte=now)
        items = list(rows.select_related("plan").order_by("created_at", "pk"))
        if not items:
            return 0
        if not user.is_active or not user.email:
            rows.update(status=Notification.Status.NOT_SENT)
            return 0
        kinds = sorted({item.kind for item in items})
        unsubscribe = unsubscribe_url(kinds=kinds, user=user)
        context = {"items": [{"subject": item.subject, "link": absolute(item.url)} for item in items],
                   "recipient": user, "unsubscribe_url": unsubscribe, "site_url": settings.SITE_URL,
                   "preferences_url": absolute(reverse("notifications:preferences"))}
        subject, text, html = _render("digest", context)
        attempts = max(item.attempts for item in items) + 1
        try:
            _message(to=user.email, subject=subject, text=text, html=html, unsubscribe=unsubscribe).send()
        except Exception as error:  # the next daily run tries again
            _retry_or_fail(Notification.objects.filter(pk__in=[item.pk for item in items]), attempts, error,
                           lambda when: None)
            return 0
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            attempts=attempts, status=Notification.Status.SENT, sent_at=now, last_error="")
    return len(items)


def digests_send(*, now: datetime | None = None) -> int:
    """Send every user's daily digest and queue again what lost its task; returns the e-mails sent."""
    now = now or timezone.now()
    stale = Notification.objects.filter(delivery=Delivery.IMMEDIATE, status=Notification.Status.PENDING,
                                        attempts=0, created_at__lt=now - REQUEUE_AFTER)
    for pk in stale.values_list("pk", flat=True):
        send_notification.enqueue(pk)
    users = get_user_model().objects.filter(
        pk__in=Notification.objects.filter(delivery=Delivery.DAILY, status=Notification.Status.PENDING)
        .values("user_id"))
    return sum(1 for user in users if digest_send(user=user, now=now))


# --- Reading (the in-app list) -----------------------------------------------------------------------

def unread_count(user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user: AbstractBaseUser, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications read."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


# --- Background tasks ----------------------------------------------------------------------------------

@task()
def send_notification(notification_id: int) -> str:
    """Send one notification's e-mail."""
    return notification_send(notification_id=notification_id)


@task()
def send_digests() -> int:
    """Send the daily digests."""
    return digests_send()
