"""Structured JSON of an agreement document and its children.

An approval freezes this JSON (``Approval.data``); "ændringer siden sidste godkendelse" compares the
JSON of today's data with it (``helhedsplan.approvals.diff``). The format is plain and self-describing so a
snapshot stays readable after the models change:

    {"schema": 1, "kind": "delaftale", "title": …, "plan": {"slug", "name"},
     "focus_area": {"slug", "name"} (delaftaler only), "version": <document version>,
     "fields": [{"name", "label", "type", "value"}, …],
     "collections": [{"name", "title", "items": [{"key", "label", "fields": [...]}, …]}, …]}

``type`` is one of ``text``, ``longtext``, ``date`` (ISO string), ``bool``, ``number`` (string),
``list`` (list of strings). Item keys are stable (``activity:17``), so a restored activity is the
same item again.

Other apps build their parts (delmål and indikatorer, the delaftale's økonomi) with ``collection``,
``item`` and ``entry`` below; ``helhedsplan.approvals.snapshots`` puts the parts together.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects

from .models import (
    Activity,
    AgreementParty,
    Attachment,
    Contact,
    PlanFocusArea,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)

SCHEMA = 1

SUBAGREEMENT_FIELDS = ["initiative_name", "start_date", "end_date", "municipal_coherence", "conflict_handling",
                       "revision"]
PARTY_FIELDS = ["organisation", "role", "contact"]
ACTIVITY_FIELDS = ["name", "purpose", "target_group", "content", "anchoring", "responsibilities", "locations",
                   "housing_areas", "responsible_organisations", "contacts", "municipal_cofinancing"]
STAFF_FIELDS = ["function", "percent", "hours_per_week", "financed_by", "financed_by_plan", "note"]
STRATEGIC_FIELDS = ["documents", "section_1_area", "section_2_vision", "section_3_organisation",
                    "section_4_interplay", "section_7_evaluation", "section_8_revision"]
AGREEMENT_PARTY_FIELDS = ["organisation", "role", "signatory_name", "signatory_title", "signed_date"]
ATTACHMENT_FIELDS = ["title", "kind", "sha256"]


def entry(name: str, label: str, value: Any, type_: str = "text") -> dict:
    """One field of a snapshot: JSON-ready value plus what is needed to show and compare it."""
    return {"name": name, "label": label, "type": type_, "value": value}


def item(key: str, label: str, fields: list[dict]) -> dict:
    return {"key": key, "label": label, "fields": fields}


def collection(name: str, title: str, items: list[dict]) -> dict:
    return {"name": name, "title": title, "items": items}


def _label(field: models.Field) -> str:
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def model_entry(instance: models.Model, name: str) -> dict:
    """A snapshot entry for one model field, typed from the field class."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if isinstance(field, models.ManyToManyField):
        return entry(name, _label(field), sorted(str(obj) for obj in value.all()), "list")
    if isinstance(field, models.ForeignKey):
        return entry(name, _label(field), str(value) if value is not None else "", "text")
    if isinstance(field, models.BooleanField):
        return entry(name, _label(field), bool(value), "bool")
    if isinstance(field, models.DateField):
        return entry(name, _label(field), value.isoformat() if isinstance(value, date) else None, "date")
    if isinstance(field, models.DecimalField | models.IntegerField):
        return entry(name, _label(field), None if value is None else str(Decimal(value).normalize()), "number")
    if field.choices:
        return entry(name, _label(field), getattr(instance, f"get_{name}_display")(), "text")
    return entry(name, _label(field), value or "", "longtext" if isinstance(field, models.TextField) else "text")


def model_item(instance: models.Model, names: list[str], label: str | None = None) -> dict:
    return item(f"{instance._meta.model_name}:{instance.pk}", label or str(instance),
                [model_entry(instance, name) for name in names])


SNAPSHOT_CHILDREN = ("_snapshot_parties", "_snapshot_activities", "_snapshot_staff", "_snapshot_attachments")


def attachments_collection(attachments: list[Attachment]) -> list[dict]:
    """The document's bilag (title, kind and the SHA-256 of the file), so that a replaced file un-approves it.

    Only a document that has bilag gets the collection: the snapshots of documents without any, and so the
    approvals made before bilag existed, stay exactly as they were."""
    if not attachments:
        return []
    return [collection("attachments", "Bilag", [model_item(a, ATTACHMENT_FIELDS) for a in attachments])]


def subagreement_snapshots(sub_agreements: list[SubAgreement]) -> dict[int, dict]:
    """The snapshot of each delaftale (id → snapshot) in a fixed number of queries, however many there are.

    Each delaftale's ``plan`` and ``focus_area`` should be loaded with it (``select_related``). The
    children are always read anew, also for a delaftale object that was snapshotted before."""
    for sub_agreement in sub_agreements:
        for name in SNAPSHOT_CHILDREN:
            sub_agreement.__dict__.pop(name, None)
    prefetch_related_objects(
        sub_agreements,
        Prefetch("parties", queryset=SubAgreementParty.objects.select_related("organisation", "contact__organisation"),
                 to_attr="_snapshot_parties"),
        Prefetch("activities", to_attr="_snapshot_activities", queryset=Activity.objects.prefetch_related(
            "housing_areas", "responsible_organisations",
            Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),  # str(contact) names it
        )),
        Prefetch("staff_resources", queryset=StaffResource.objects.all(), to_attr="_snapshot_staff"),
        Prefetch("attachments", queryset=Attachment.objects.order_by("order", "id"), to_attr="_snapshot_attachments"),
    )
    return {sub_agreement.pk: _subagreement_snapshot(sub_agreement) for sub_agreement in sub_agreements}


def _subagreement_snapshot(sub_agreement: SubAgreement) -> dict:
    return {
        "schema": SCHEMA,
        "kind": "delaftale",
        "title": str(sub_agreement),
        "plan": {"slug": sub_agreement.plan.slug, "name": sub_agreement.plan.name},
        "focus_area": {"slug": sub_agreement.focus_area.slug, "name": sub_agreement.focus_area.name},
        "version": sub_agreement.version,
        "fields": [model_entry(sub_agreement, name) for name in SUBAGREEMENT_FIELDS],
        "collections": [
            collection("parties", "Delaftalens parter",
                       [model_item(p, PARTY_FIELDS) for p in sub_agreement._snapshot_parties]),
            collection("activities", "Aktiviteter",
                       [model_item(a, ACTIVITY_FIELDS) for a in sub_agreement._snapshot_activities]),
            collection("staff_resources", "Medarbejderressourcer",
                       [model_item(s, STAFF_FIELDS, label=s.function) for s in sub_agreement._snapshot_staff]),
            *attachments_collection(sub_agreement._snapshot_attachments),
        ],
    }


def subagreement_snapshot(sub_agreement: SubAgreement) -> dict:
    """The delaftale with its parties, activities and staff resources."""
    return subagreement_snapshots([sub_agreement])[sub_agreement.pk]


def strategic_agreement_snapshot(agreement: StrategicAgreement) -> dict:
    """The strategic agreement: sections, parties with signatories and the problemkomplekser."""
    parties = AgreementParty.objects.filter(agreement=agreement).select_related("organisation")
    choices = PlanFocusArea.objects.filter(plan_id=agreement.plan_id).select_related("focus_area")
    # The organisationsdiagrammer (printed in section 3) and the plan's own bilag.
    attachments = list(Attachment.objects.filter(plan_id=agreement.plan_id, sub_agreement__isnull=True)
                       .order_by("-kind", "order", "id"))
    return {
        "schema": SCHEMA,
        "kind": "samarbejdsaftale",
        "title": f"Strategisk samarbejdsaftale – {agreement.plan.name}",
        "plan": {"slug": agreement.plan.slug, "name": agreement.plan.name},
        "version": agreement.version,
        "fields": [model_entry(agreement, name) for name in STRATEGIC_FIELDS],
        "collections": [
            collection("parties", "Aftalens parter og underskrifter",
                       [model_item(p, AGREEMENT_PARTY_FIELDS) for p in parties]),
            collection("focus_areas", "6. Indsatsområder (problemkompleks)",
                       [model_item(c, ["problem_complex"], label=str(c.focus_area)) for c in choices]),
            *attachments_collection(attachments),
        ],
    }
