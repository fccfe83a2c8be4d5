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
    AgreementPartyContact,
    Attachment,
    Contact,
    PlanFocusArea,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
    SubAgreementPartyContact,
)

SCHEMA = 1

SUBAGREEMENT_FIELDS = ["initiative_name", "start_date", "end_date", "municipal_coherence", "conflict_handling",
                       "revision"]
PARTY_FIELDS = ["organisation", "role"]
ACTIVITY_FIELDS = ["name", "purpose", "target_group", "content", "anchoring", "responsibilities", "locations",
                   "housing_areas", "responsible_organisations", "contacts", "municipal_cofinancing"]
STAFF_FIELDS = ["function", "percent", "hours_per_week", "financed_by", "financed_by_plan", "note"]
# Printed only in a contract (``Plan.document_kind``), so only a contract's snapshot holds them: the
# snapshots of LBF-helhedsplaner, and so their approvals, stay exactly as they were.
CONTRACT_SUBAGREEMENT_FIELDS = ["economic_frame_amount", "economic_frame"]
CONTRACT_ACTIVITY_FIELDS = ["revision"]
CONTRACT_STRATEGIC_FIELDS = ["contract_date", "contract_issuer", "contract_issuer_department"]
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


def document_kind_entry(plan) -> dict:
    """The plan's document kind: switching a plan to the contract layout changes every document."""
    return model_entry(plan, "document_kind")


def model_item(instance: models.Model, names: list[str], label: str | None = None) -> dict:
    return item(f"{instance._meta.model_name}:{instance.pk}", label or str(instance),
                [model_entry(instance, name) for name in names])


def contact_text(contact: Contact) -> str:
    """A contact person as the documents print it: name, title, e-mail and phone."""
    return ", ".join(part for part in (contact.name, contact.title, contact.email, contact.phone) if part)


def contacts_entry(party: SubAgreementParty | AgreementParty) -> dict:
    """The party's contact persons in their order, each with everything the documents print of them."""
    return entry("contacts", "Kontaktpersoner", [contact_text(contact) for contact in party.contact_list], "list")


# Before a party could have several contact persons, a delaftale's party had one optional "contact"
# entry; a party without contact persons keeps that empty entry, so a document approved then whose
# parties have none still has the content it was approved with.
_NO_CONTACT = entry("contact", "Kontaktperson", "", "text")


def _party_item(party: SubAgreementParty) -> dict:
    snapshot = model_item(party, PARTY_FIELDS)
    snapshot["fields"].append(contacts_entry(party) if party.contact_list else dict(_NO_CONTACT))
    return snapshot


def _activity_item(activity: Activity, fields: list[str] = ACTIVITY_FIELDS) -> dict:
    snapshot = model_item(activity, fields)
    if activity.short_description:  # absent when empty, like before the field existed
        snapshot["fields"].insert(1, model_entry(activity, "short_description"))
    return snapshot


def _agreement_party_item(party: AgreementParty) -> dict:
    snapshot = model_item(party, AGREEMENT_PARTY_FIELDS)
    if party.contact_list:  # absent when empty, like before parties had contact persons
        snapshot["fields"].append(contacts_entry(party))
    return snapshot


SNAPSHOT_CHILDREN = ("_snapshot_parties", "_snapshot_activities", "_snapshot_staff", "_snapshot_attachments")


def attachments_collection(attachments: list[Attachment]) -> list[dict]:
    """The document's bilag (title, kind and the SHA-256 of the file), so that a replaced file un-approves it.

    Only a document that has bilag gets the collection: the snapshots of documents without any, and so the
    approvals made before bilag existed, stay exactly as they were."""
    if not attachments:
        return []
    return [collection("attachments", "Bilag", [model_item(a, ATTACHMENT_FIELDS) for a in attachments])]


def _staff_queryset(sub_agreements: list[SubAgreement]):
    """Staff resources, with their contacts when a contract (the only snapshot holding them) is among them."""
    staff = StaffResource.objects.all()
    if any(sub_agreement.plan.is_contract for sub_agreement in sub_agreements):
        staff = staff.prefetch_related(Prefetch("contacts", queryset=Contact.objects.select_related("organisation")))
    return staff


def subagreement_snapshots(sub_agreements: list[SubAgreement]) -> dict[int, dict]:
    """The snapshot of each delaftale (id → snapshot) in a fixed number of queries, however many there are.

    Each delaftale's ``plan`` and ``focus_area`` should be loaded with it (``select_related``). The
    children are always read anew, also for a delaftale object that was snapshotted before."""
    for sub_agreement in sub_agreements:
        for name in SNAPSHOT_CHILDREN:
            sub_agreement.__dict__.pop(name, None)
    prefetch_related_objects(
        sub_agreements,
        Prefetch("parties", queryset=SubAgreementParty.objects.select_related("organisation").prefetch_related(
            Prefetch("contact_links", queryset=SubAgreementPartyContact.objects.select_related("contact"))),
            to_attr="_snapshot_parties"),
        Prefetch("activities", to_attr="_snapshot_activities", queryset=Activity.objects.prefetch_related(
            "housing_areas", "responsible_organisations",
            Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),  # str(contact) names it
        )),
        Prefetch("staff_resources", to_attr="_snapshot_staff", queryset=_staff_queryset(sub_agreements)),
        Prefetch("attachments", queryset=Attachment.objects.order_by("order", "id"), to_attr="_snapshot_attachments"),
    )
    return {sub_agreement.pk: _subagreement_snapshot(sub_agreement) for sub_agreement in sub_agreements}


def _subagreement_snapshot(sub_agreement: SubAgreement) -> dict:
    contract = sub_agreement.plan.is_contract
    fields = SUBAGREEMENT_FIELDS + (CONTRACT_SUBAGREEMENT_FIELDS if contract else [])
    activity_fields = ACTIVITY_FIELDS + (CONTRACT_ACTIVITY_FIELDS if contract else [])
    return {
        "schema": SCHEMA,
        "kind": "delaftale",
        "title": str(sub_agreement),
        "plan": {"slug": sub_agreement.plan.slug, "name": sub_agreement.plan.name},
        "focus_area": {"slug": sub_agreement.focus_area.slug, "name": sub_agreement.focus_area.name},
        "version": sub_agreement.version,
        "fields": ([document_kind_entry(sub_agreement.plan)] if contract else [])
        + [model_entry(sub_agreement, name) for name in fields],
        "collections": [
            collection("parties", "Delaftalens parter",
                       [_party_item(p) for p in sub_agreement._snapshot_parties]),
            collection("activities", "Aktiviteter",
                       [_activity_item(a, activity_fields) for a in sub_agreement._snapshot_activities]),
            collection("staff_resources", "Medarbejderressourcer",
                       [_staff_item(s, contract) for s in sub_agreement._snapshot_staff]),
            *attachments_collection(sub_agreement._snapshot_attachments),
        ],
    }


def contact_line(contact: Contact) -> str:
    """A contact as a contract prints it: name, title, organisation, e-mail and phone."""
    parts = [contact.name, contact.title, str(contact.organisation), contact.email, contact.phone]
    return ", ".join(part for part in parts if part)


def _staff_item(resource: StaffResource, contract: bool) -> dict:
    result = model_item(resource, STAFF_FIELDS, label=resource.function)
    if contract:
        result["fields"].append(entry("contacts", "Kontaktpersoner",
                                      sorted(contact_line(c) for c in resource.contacts.all()), "list"))
    return result


def subagreement_snapshot(sub_agreement: SubAgreement) -> dict:
    """The delaftale with its parties, activities and staff resources."""
    return subagreement_snapshots([sub_agreement])[sub_agreement.pk]


def strategic_agreement_snapshot(agreement: StrategicAgreement) -> dict:
    """The strategic agreement: sections, parties with signatories and the problemkomplekser."""
    parties = AgreementParty.objects.filter(agreement=agreement).select_related("organisation").prefetch_related(
        Prefetch("contact_links", queryset=AgreementPartyContact.objects.select_related("contact")))
    choices = PlanFocusArea.objects.filter(plan_id=agreement.plan_id).select_related("focus_area")
    # LBF's standard texts (``PuljeText``) are printed in the document but are not part of what the
    # bestyrelse decides: they are the same in every plan of the pulje and written by LBF. Their change
    # therefore approves or un-approves nothing (the approved PDF keeps the wording it was approved with).
    contract = agreement.plan.is_contract
    fields = STRATEGIC_FIELDS + (CONTRACT_STRATEGIC_FIELDS if contract else [])
    # The organisationsdiagrammer (printed in section 3) and the plan's own bilag.
    attachments = list(Attachment.objects.filter(plan_id=agreement.plan_id, sub_agreement__isnull=True)
                       .order_by("-kind", "order", "id"))
    return {
        "schema": SCHEMA,
        "kind": "samarbejdsaftale",
        "title": f"Strategisk samarbejdsaftale – {agreement.plan.name}",
        "plan": {"slug": agreement.plan.slug, "name": agreement.plan.name},
        "version": agreement.version,
        "fields": ([document_kind_entry(agreement.plan)] if contract else [])
        + [model_entry(agreement, name) for name in fields],
        "collections": [
            collection("parties", "Aftalens parter og underskrifter",
                       [_agreement_party_item(p) for p in parties]),
            collection("focus_areas", "6. Indsatsområder (problemkompleks)",
                       [model_item(c, ["problem_complex"], label=str(c.focus_area)) for c in choices]),
            *attachments_collection(attachments),
        ],
    }
