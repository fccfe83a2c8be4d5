"""Every change of a budget line or footnote moves the budget's version on, whatever wrote it (a
service, the admin, a history restore), so an open editor notices it. Bulk writes send no signals:
the services that use them touch the budget themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import BudgetFootnote, BudgetLine, budget_touch


def _touch(sender, instance, **kwargs) -> None:
    budget_touch(instance.budget_id)


def connect() -> None:
    for model in (BudgetLine, BudgetFootnote):
        post_save.connect(_touch, sender=model, dispatch_uid=f"budget-version-{model.__name__}-save")
        post_delete.connect(_touch, sender=model, dispatch_uid=f"budget-version-{model.__name__}-delete")
