"""Sending what is due: each reminder of the day to the plan's members it concerns, once per event."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from helhedsplan.notifications.events import plan_members
from helhedsplan.notifications.services import notify

from .selectors import Reminder, due_reminders

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What one run did: reminders due, notifications written (none for events told before), failures."""

    due: int = 0
    written: int = 0
    failed: list[Reminder] = field(default_factory=list)


def reminder_send(reminder: Reminder) -> int:
    """Tell the reminder's recipients (the plan's active members of its role); returns the notifications
    written now — none when they were told of this event before."""
    users = plan_members(reminder.plan, role=reminder.role)
    return len(notify(kind=reminder.kind, users=users, event_key=reminder.event_key, url=reminder.url,
                      plan=reminder.plan, context=reminder.context))


def reminders_send(*, today: date, reminders: Iterable[Reminder] | None = None) -> ReminderRun:
    """Send everything due on ``today`` (or the given ``reminders``). Each reminder is written in its own
    transaction, so one that fails (it is logged and reported) does not hold back the others; a later
    run tries it again."""
    run = ReminderRun()
    for reminder in due_reminders(today) if reminders is None else reminders:
        run.due += 1
        try:
            with transaction.atomic():
                run.written += reminder_send(reminder)
        except Exception:  # reported by the command; the other reminders still go out
            logger.exception("Påmindelsen %s kunne ikke sendes", reminder.event_key)
            run.failed.append(reminder)
    return run
