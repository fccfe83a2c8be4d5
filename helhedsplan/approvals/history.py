"""Readable change lists from django-simple-history, and restoring a deleted activity.

Who changed which field of which object, when — per delaftale and per plan. Consecutive historical
records of each object are compared in memory (one query per model); technical fields (version,
ids, order numbers) are left out unless nothing else changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from simple_history.manager import HistoricalQuerySet
from simple_history.utils import get_m2m_reverse_field_name

from agreements import services
from agreements.models import (
    Activity,
    AgreementParty,
    Contact,
    FocusArea,
    HousingArea,
    Organisation,
    Plan,
    PlanFocusArea,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)

from .diff import Segment, inline_words
from .models import Approval

HIDDEN_FIELDS = {"id", "version", "plan", "sub_agreement", "agreement", "order", "focus_area"}
ACTIONS = {"+": "oprettede", "~": "ændrede", "-": "slettede"}


@dataclass
class FieldDelta:
    label: str
    old: str
    new: str
    is_long: bool = False

    @property
    def segments(self) -> list[Segment]:
        return inline_words(self.old, self.new)


@dataclass
class ChangeEntry:
    when: datetime
    who: str
    action: str
    object_label: str
    document: str = ""
    fields: list[FieldDelta] = field(default_factory=list)
    history_type: str = "~"
    model: str = ""
    object_id: int | None = None
    history_id: int | None = None

    @property
    def field_names(self) -> str:
        return ", ".join(f.label for f in self.fields)


@cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def _history(model: type[models.Model]) -> HistoricalQuerySet:
    """All history rows of ``model``, as ``model.history.all()`` gives them. (The ``history`` descriptor builds a
    new manager class on every access, which costs more than the query it makes; the model's historical model
    class is looked up once.)"""
    return HistoricalQuerySet(model=_history_model(model))


@cache
def _m2m_history_model(history_model: type[models.Model], name: str) -> type[models.Model]:
    """The model of a historical record's many-to-many rows (its descriptor, too, builds a manager class)."""
    return getattr(history_model, name).model


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _label(model: type[models.Model], name: str) -> str:
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


SELECT_FOR_STR = {Contact: ["organisation"], SubAgreement: ["focus_area"]}


class _Names:
    """Display names of related objects: loaded in one query per model (``load``), or one by one."""

    def __init__(self):
        self._cache: dict[type, dict[int, str]] = {}

    def load(self, model: type[models.Model], ids: set) -> None:
        cache = self._cache.setdefault(model, {})
        wanted = {pk for pk in ids if pk is not None and pk not in cache}
        if not wanted:
            return
        found = model._default_manager.select_related(*SELECT_FOR_STR.get(model, [])).in_bulk(wanted)
        for pk in wanted:
            cache[pk] = str(found[pk]) if pk in found else f"(slettet #{pk})"

    def get(self, model: type[models.Model], pk) -> str:
        if pk is None:
            return ""
        if model not in self._cache:
            self._cache[model] = {}
        if pk not in self._cache[model]:
            obj = model.objects.filter(pk=pk).first()
            self._cache[model][pk] = str(obj) if obj else f"(slettet #{pk})"
        return self._cache[model][pk]

    def get_focus(self, pk) -> str:
        return self.get(FocusArea, pk)


def _display(model: type[models.Model], name: str, value, names: _Names) -> str:
    from helhedsplan.formatting import format_date, format_number

    field_ = model._meta.get_field(name)
    if value is None or value == "":
        return ""
    if isinstance(field_, models.ForeignKey):
        return names.get(field_.related_model, value)
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(field_, models.BooleanField):
        return "Ja" if value else "Nej"
    if isinstance(field_, models.DateField):
        return format_date(value)
    if isinstance(field_, models.DecimalField):
        return format_number(value)
    return str(value)


def _m2m_values(record, name: str, model: type[models.Model]) -> set[int]:
    field_ = model._meta.get_field(name)
    attname = get_m2m_reverse_field_name(field_)
    return {getattr(row, f"{attname}_id") for row in getattr(record, name).all()}


def _m2m_values_bulk(records: list, name: str, model: type[models.Model]) -> dict[int, set[int]]:
    """``{history_id: {related ids}}`` for many historical records in one query."""
    if not records:
        return {}
    m2m_model = _m2m_history_model(type(records[0]), name)
    attname = get_m2m_reverse_field_name(model._meta.get_field(name))
    values: dict[int, set[int]] = {record.history_id: set() for record in records}
    for history_id, related_id in m2m_model.objects.filter(history_id__in=list(values)) \
            .values_list("history_id", f"{attname}_id"):
        values[history_id].add(related_id)
    return values


def _entries_for(model: type[models.Model], records, names: _Names, object_label, document_label) -> list[ChangeEntry]:
    recorded = {f.name for f in _history_model(model)._meta.concrete_fields}  # minus HistoricalRecords' excluded
    tracked = [f.name for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.name in recorded]
    m2m = [f.name for f in model._meta.many_to_many] if model is Activity else []
    entries: list[ChangeEntry] = []
    previous: dict[int, object] = {}
    records = list(records)
    m2m_values = {name: _m2m_values_bulk(records, name, model) for name in m2m}
    for name, values in m2m_values.items():
        names.load(model._meta.get_field(name).related_model, set().union(*values.values()) if values else set())
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if getattr(record, "predecessor_only", False):
            continue
        entry = ChangeEntry(
            when=record.history_date, who=_who(record), action=ACTIONS[record.history_type],
            object_label=object_label(record), document=document_label(record), history_type=record.history_type,
            model=model._meta.model_name, object_id=record.id, history_id=record.history_id,
        )
        if record.history_type == "~" and before is not None:
            for name in tracked:
                old, new = getattr(before, _attname(model, name)), getattr(record, _attname(model, name))
                if old != new:
                    entry.fields.append(FieldDelta(
                        _label(model, name), _display(model, name, old, names), _display(model, name, new, names),
                        is_long=isinstance(model._meta.get_field(name), models.TextField)))
            for name in m2m:
                old_ids, new_ids = m2m_values[name][before.history_id], m2m_values[name][record.history_id]
                if old_ids != new_ids:
                    related = model._meta.get_field(name).related_model
                    entry.fields.append(FieldDelta(
                        _label(model, name),
                        ", ".join(sorted(names.get(related, pk) for pk in old_ids)),
                        ", ".join(sorted(names.get(related, pk) for pk in new_ids))))
            if not entry.fields:
                order_changed = "order" in [f.name for f in model._meta.concrete_fields] and \
                    getattr(before, "order", None) != getattr(record, "order", None)
                if order_changed:
                    entry.fields.append(FieldDelta("Rækkefølge", str(before.order), str(record.order)))
                else:
                    continue  # only technical fields (the version number) changed
        entries.append(entry)
    return entries


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def _records(model: type[models.Model], per_object: int | None = None, **filters):
    """History rows of ``model`` matching ``filters``, oldest first per object.

    With ``per_object`` only the objects among the newest ``per_object`` rows are read, each with its
    newest ``per_object`` rows plus one older row as the predecessor to diff against, so a "recent
    changes" list reads a bounded number of rows however large the plan and its history grow.
    """
    queryset = _history(model).filter(**filters)
    if per_object is not None:
        # Only objects among the newest ``per_object`` rows can appear in the list (read in the same query).
        newest = queryset.order_by("-history_date", "-history_id").values("id")[:per_object]
        queryset = _history(model).filter(id__in=newest).annotate(history_rank=Window(
            RowNumber(), partition_by=[F("id")], order_by=[F("history_date").desc(), F("history_id").desc()],
        )).filter(history_rank__lte=per_object + 1)
    return queryset.select_related("history_user").order_by("id", "history_date", "history_id")


def _subagreement_sources(sub_ids: list[int] | QuerySet, names: _Names, with_document: bool,
                          per_object: int | None = None):
    def doc(record) -> str:
        if not with_document:
            return ""
        return names.get(SubAgreement, record.sub_agreement_id)

    return [
        (SubAgreement, _records(SubAgreement, per_object, id__in=sub_ids),
         lambda r: f"Delaftale for indsatsområdet {names.get_focus(r.focus_area_id)}", lambda r: ""),
        (Activity, _records(Activity, per_object, sub_agreement_id__in=sub_ids),
         lambda r: f"Aktivitet »{r.name}«", doc),
        (SubAgreementParty, _records(SubAgreementParty, per_object, sub_agreement_id__in=sub_ids),
         lambda r: f"Part »{names.get(Organisation, r.organisation_id)}«", doc),
        (StaffResource, _records(StaffResource, per_object, sub_agreement_id__in=sub_ids),
         lambda r: f"Medarbejderressource »{r.function}«", doc),
    ]


def _collect(sources, names: _Names, limit: int | None) -> list[ChangeEntry]:
    sources = [(model, list(records), object_label, document_label)
               for model, records, object_label, document_label in sources]
    if limit:
        for _, records, _, _ in sources:
            for record in records:
                record.predecessor_only = getattr(record, "history_rank", 0) > limit
    wanted: dict[type, set] = {}
    for model, records, _, _ in sources:
        foreign_keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        for record in records:
            for fk in foreign_keys:
                wanted.setdefault(fk.related_model, set()).add(getattr(record, fk.attname, None))
    for related, ids in wanted.items():
        names.load(related, ids)
    entries: list[ChangeEntry] = []
    for model, records, object_label, document_label in sources:
        entries.extend(_entries_for(model, records, names, object_label, document_label))
    entries.sort(key=lambda e: (e.when, e.history_id or 0), reverse=True)
    return entries[:limit] if limit else entries


def subagreement_changes(sub_agreement: SubAgreement, limit: int | None = None) -> list[ChangeEntry]:
    """Changes of a delaftale and its parties, activities and staff resources, newest first."""
    names = _Names()
    return _collect(_subagreement_sources([sub_agreement.pk], names, with_document=False, per_object=limit),
                    names, limit)


def plan_changes(plan: Plan | list[Plan], limit: int | None = None) -> list[ChangeEntry]:
    """Changes of everything in a plan (or several plans), newest first."""
    plans = plan if isinstance(plan, list) else [plan]
    plan_ids = [p.pk for p in plans]
    names = _Names()
    # Every delaftale and strategic agreement the plans have had (also deleted ones), as subqueries.
    sub_ids = _history(SubAgreement).filter(plan_id__in=plan_ids).values("id")
    agreement_ids = _history(StrategicAgreement).filter(plan_id__in=plan_ids).values("id")
    plan_label = (lambda r: names.get(Plan, r.plan_id)) if len(plans) > 1 else (lambda r: "")
    sources = [
        (Plan, _records(Plan, limit, id__in=plan_ids), lambda r: f"Helhedsplanen »{r.name}«", lambda r: ""),
        (StrategicAgreement, _records(StrategicAgreement, limit, id__in=agreement_ids),
         lambda r: "Strategisk samarbejdsaftale", plan_label),
        (AgreementParty, _records(AgreementParty, limit, agreement_id__in=agreement_ids),
         lambda r: f"Aftalepart »{names.get(Organisation, r.organisation_id)}«", lambda r: ""),
        (PlanFocusArea, _records(PlanFocusArea, limit, plan_id__in=plan_ids),
         lambda r: f"Indsatsområdet »{names.get_focus(r.focus_area_id)}«", plan_label),
        (HousingArea, _records(HousingArea, limit, plan_id__in=plan_ids),
         lambda r: f"Boligområdet »{r.name}«", plan_label),
        (Approval, _records(Approval, limit, plan_id__in=plan_ids), lambda r: f"Godkendelse: {r.title}", plan_label),
        *_subagreement_sources(sub_ids, names, with_document=True, per_object=limit),
    ]
    return _collect(sources, names, limit)


# --- Restore ------------------------------------------------------------------------------------------

def deleted_activities(sub_agreement: SubAgreement) -> list:
    """Deletion records of this delaftale's activities that do not exist any more, newest first."""
    records = _history(Activity).filter(sub_agreement_id=sub_agreement.pk, history_type="-") \
        .select_related("history_user").order_by("-history_date")
    existing = set(Activity.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
    seen: set[int] = set()
    result = []
    for record in records:
        if record.id in existing or record.id in seen:
            continue
        seen.add(record.id)
        record.who = _who(record)
        result.append(record)
    return result


@transaction.atomic
def activity_restore(*, sub_agreement: SubAgreement, history_id: int) -> Activity:
    """Bring back a deleted activity of this delaftale as it was when it was deleted.

    Its links to boligområder, organisations and contacts come back where those still exist. Like
    any edit, this starts a new draft of an approved delaftale and moves its version on.
    """
    record = Activity.history.filter(history_id=history_id, history_type="-",
                                     sub_agreement_id=sub_agreement.pk).first()
    if record is None:
        raise Http404("Den slettede aktivitet findes ikke i delaftalens historik.")
    if Activity.objects.filter(pk=record.id).exists():
        raise ValidationError("Aktiviteten er allerede gendannet.")
    last_state = Activity.history.filter(id=record.id, history_date__lt=record.history_date) \
        .exclude(history_type="-").order_by("-history_date", "-history_id").first()
    services.claim_version(sub_agreement, SubAgreement.objects.values_list("version", flat=True)
                           .get(pk=sub_agreement.pk))
    sub_agreement.save()
    activity = record.instance
    activity.full_clean(validate_unique=False)
    activity.save(force_insert=True)
    if last_state is not None:
        plan_areas = set(HousingArea.objects.filter(plan_id=sub_agreement.plan_id).values_list("pk", flat=True))
        for name, related in (("housing_areas", HousingArea), ("responsible_organisations", Organisation),
                              ("contacts", Contact)):
            ids = _m2m_values(last_state, name, Activity)
            existing = related.objects.filter(pk__in=ids)
            if related is HousingArea:
                existing = existing.filter(pk__in=plan_areas)
            getattr(activity, name).set(existing)
    return activity
