"""Signals the agreements layer sends to the apps above it (which may not be imported from here).

``plan_created`` is sent by ``services.plan_create`` inside its transaction, once the plan, its
indsatsområder, boligområder and agreements exist, with ``plan`` and ``by`` (the creating user). A
receiver adds its app's part of a new plan through its own services; if it raises, nothing of the
plan is kept. Receivers connect in their ``AppConfig.ready()``.
"""

from django.dispatch import Signal

plan_created = Signal()
