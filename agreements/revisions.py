"""Revision tokens: how a key knows that the data behind a plan has changed.

Every save, delete and many-to-many change of a model in ``agreements``, ``budgets`` or
``indicators`` (and of a user) replaces a token, inside the same transaction as the change:

- a model that reaches a plan through its foreign keys (an activity → its delaftale → the plan)
  replaces the token ``plan:<id>``;
- a model shared by all plans (organisations, contacts, clauses, puljer, indsatsområder, users and
  their groups) replaces the token ``global``.

Writes that bypass model signals (``bulk_create_with_history`` in the budget import, queryset
``update()``) call ``bump_plan`` themselves. A rolled-back transaction rolls its new token back
together with its data, and a reader sees the new token exactly when it can see the new data.

A key that contains both tokens (``tokens``, one query) names one version of whatever is built from
the plan's data: the rendered PDFs of the documents (``helhedsplan.documents.rendering``) are kept
under such keys, so an edit is never served an older file, and nothing ever has to be invalidated.
"""

from __future__ import annotations

import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges, registered_models

from .models import Plan, Revision

GLOBAL = "global"
PLAN_PREFIX = "plan:"

# model → the foreign keys that lead from it to a plan (in declaration order); Plan itself → ().
_ROUTES: dict[type[models.Model], tuple[models.Field, ...]] = {}
# Watched models that reach no plan: a change to one of them may show on every plan.
_SHARED: set[type[models.Model]] = set()


def plan_key(plan_id: int) -> str:
    return f"{PLAN_PREFIX}{plan_id}"


def _new_token(key: str) -> None:
    if Revision.objects.filter(key=key).update(token=uuid.uuid4()):
        return
    _, created = Revision.objects.get_or_create(key=key, defaults={"token": uuid.uuid4()})
    if not created:  # created by a concurrent change: give this change a token of its own
        Revision.objects.filter(key=key).update(token=uuid.uuid4())


def bump_plan(plan_id: int) -> None:
    """The data behind plan ``plan_id`` has changed (call inside the change's transaction)."""
    _new_token(plan_key(plan_id))


def bump_global() -> None:
    """Data shared by all plans has changed."""
    _new_token(GLOBAL)


def tokens(plan_id: int) -> str:
    """The current revision of a plan's data and of the shared data, as one string (one query)."""
    keys = [GLOBAL, plan_key(plan_id)]
    found = dict(Revision.objects.filter(key__in=keys).values_list("key", "token"))
    # Reading writes nothing: data never changed since the tokens table began has the token "0"; its first
    # change creates the row with a new token.
    return ".".join(found[key].hex if key in found else "0" for key in keys)


# --- Which plan a changed object belongs to ------------------------------------------------------

def _route(model: type[models.Model], visiting: frozenset = frozenset()) -> tuple[models.Field, ...] | None:
    if model is Plan:
        return ()
    hops = []
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if target is None or target in visiting or not _is_user_data(target):
            continue
        if _route(target, visiting | {model}) is not None:
            hops.append(field)
    return tuple(hops) or None


def plan_id_of(instance: models.Model) -> int | None:
    """The id of the plan ``instance`` belongs to, or None for shared data (or a vanished parent)."""
    model = type(instance)
    if model is Plan:
        return instance.pk
    for field in _ROUTES.get(model, ()):
        value = getattr(instance, field.attname)
        if value is None:
            continue
        if field.related_model is Plan:
            return value
        try:
            parent = getattr(instance, field.name)
        except ObjectDoesNotExist:  # deleted earlier in the same cascade
            continue
        found = plan_id_of(parent)
        if found is not None:
            return found
    return None


def is_watched(model: type[models.Model]) -> bool:
    return model in _ROUTES or model in _SHARED


def _changed(instance: models.Model) -> None:
    plan_id = plan_id_of(instance) if type(instance) in _ROUTES else None
    if plan_id is None:
        bump_global()
    else:
        bump_plan(plan_id)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if not is_watched(sender):
        return
    if sender is get_user_model() and update_fields and set(update_fields) <= {"last_login"}:
        return  # logging in changes nothing any page shows
    if raw:  # loaddata: related rows may not be there yet
        bump_global()
        return
    _changed(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    if is_watched(sender):
        _changed(instance)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and is_watched(type(instance)):
        _changed(instance)


def _is_user_data(model: type[models.Model]) -> bool:
    """Data users edit is what pages show: every such model keeps a history (``HistoricalRecords``);
    bookkeeping (revision tokens, export jobs, sessions) keeps none."""
    return model in registered_models.values() and not issubclass(model, HistoricalChanges)


def connect() -> None:
    """Map every watched model and connect the signals (``AgreementsConfig.ready``)."""
    user_model = get_user_model()
    for model in apps.get_models():
        if not _is_user_data(model) and model is not user_model:
            continue
        route = _route(model) if _is_user_data(model) else None
        if route is None:
            _SHARED.add(model)
        else:
            _ROUTES[model] = route
    _SHARED.add(Group)  # group membership decides who sees every plan (the LBF group)
    post_save.connect(_on_save, dispatch_uid="revisions-save")
    post_delete.connect(_on_delete, dispatch_uid="revisions-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="revisions-m2m")
