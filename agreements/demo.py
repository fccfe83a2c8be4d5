"""Reference data and demo plans from ``fixtures/`` (see ``fixtures/demo/FORMAT.md``).

Idempotent: reference data is upserted by natural key; a demo plan that already exists is left as
it is (users may have edited it) unless ``reset`` is asked for.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from . import services
from .models import (
    AgreementParty,
    Clause,
    Contact,
    DocumentKind,
    FocusArea,
    HousingArea,
    HousingDepartment,
    Organisation,
    Plan,
    Pulje,
    PuljeText,
    StaffResource,
    StrategicAgreement,
    SubAgreementParty,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_DIR = FIXTURES / "demo"
DEMO_PLAN_SLUGS = ["en-faelles-indsats", "amager", "bispebjerg-udsatte-grupper"]


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def upsert(model, lookup: dict[str, Any], values: dict[str, Any]):
    """Create or update by natural key, saving (and so recording history) only on a real change."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance


@transaction.atomic
def load_reference() -> None:
    """Puljer and their indsatsområder with LBF's overordnede mål and the samarbejdsaftale's standard texts.

    A standard text is created when the pulje has none for its place and otherwise left as it is: an
    administrator may have edited it in the admin (e.g. put in LBF's web address)."""
    for pulje_data in read_json(FIXTURES / "reference.json")["puljer"]:
        areas = pulje_data.pop("focus_areas")
        texts = pulje_data.pop("texts", [])
        code = pulje_data.pop("code")
        pulje = upsert(Pulje, {"code": code}, pulje_data)
        for order, area in enumerate(areas, start=1):
            upsert(FocusArea, {"pulje": pulje, "slug": area["slug"]},
                   {"name": area["name"], "lbf_goal": area["lbf_goal"], "order": order})
        for text in texts:
            PuljeText.objects.get_or_create(pulje=pulje, key=text["key"], defaults={"text": text["text"]})


def load_clauses() -> int:
    path = DEMO_DIR / "clauses.json"
    if not path.exists():
        return 0
    labels = {label: value for value, label in Clause.Category.choices}
    created = 0
    for item in read_json(path):
        category = labels.get(item["category"], item["category"])
        if category not in Clause.Category.values:
            category = Clause.Category.OTHER
        _, was_created = Clause.objects.get_or_create(
            category=category, title=item["title"][:200], defaults={"text": item["text"]}
        )
        created += was_created
    return created


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _organisations(data: dict) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for item in data.get("organisations", []):
        organisation, _ = Organisation.objects.get_or_create(
            name=item["name"],
            defaults={"short_name": item.get("short_name", "")[:50], "kind": item.get("kind") or "andet"},
        )
        organisations[item["name"]] = organisation
        if item.get("short_name"):
            organisations.setdefault(item["short_name"], organisation)
        for contact in item.get("contacts", []):
            Contact.objects.get_or_create(
                organisation=organisation, name=contact["name"],
                defaults={"title": contact.get("title", "")[:200], "email": contact.get("email", ""),
                          "phone": contact.get("phone", "")},
            )
    return organisations


def _org(organisations: dict[str, Organisation], name: str | None) -> Organisation | None:
    if not name:
        return None
    if name not in organisations:
        organisations[name], _ = Organisation.objects.get_or_create(name=name)
    return organisations[name]


def _party_contacts(organisation: Organisation, party: dict) -> list[Contact]:
    """The contact persons of a party entry, in order: ``contacts`` (names of the organisation's
    contact persons), or the single ``contact`` name older files have."""
    names = party.get("contacts")
    if names is None:
        names = [party["contact"]] if party.get("contact") else []
    found = {contact.name: contact for contact in Contact.objects.filter(organisation=organisation, name__in=names)}
    return [found[name] for name in names if name in found]


def _contacts(organisations: dict[str, Organisation], names: list[str]) -> list[Contact]:
    """The plan's contacts by name (names are unique among a demo plan's organisations)."""
    plan_organisations = {organisation.pk for organisation in organisations.values()}
    found = {contact.name: contact for contact in Contact.objects.filter(
        name__in=names, organisation_id__in=plan_organisations)}
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"Ukendte kontaktpersoner: {', '.join(missing)}")
    return [found[name] for name in names]


@transaction.atomic
def load_plan(data: dict) -> Plan:
    """Create one demo plan with its agreements from a FORMAT.md dictionary."""
    info = data["plan"]
    organisations = _organisations(data)
    pulje = Pulje.objects.get(code=info["pulje"])
    plan = Plan(
        slug=info["slug"], name=info["name"], area_name=info.get("area_name", ""), pulje=pulje,
        start_date=_date(info["start_date"]), end_date=_date(info["end_date"]),
        lbf_journal_number=info.get("lbf_journal_number", ""),
        administrating_organisation=_org(organisations, info.get("administrating_organisation")),
        municipality=_org(organisations, info.get("municipality")),
        document_kind=info.get("document_kind") or DocumentKind.LBF,
    )
    plan.full_clean()
    plan.save()

    areas_by_name = {area.name: area for area in FocusArea.objects.filter(pulje=pulje)}
    for order, item in enumerate(data.get("focus_areas", []), start=1):
        services.plan_focus_area_add(plan=plan, focus_area=areas_by_name[item["focus_area"]],
                                     problem_complex=item.get("problem_complex", ""), order=order)

    housing: dict[str, HousingArea] = {}
    for order, item in enumerate(data.get("housing_areas", []), start=1):
        area = HousingArea.objects.create(plan=plan, name=item["name"],
                                          description=item.get("description", ""), order=order)
        housing[item["name"]] = area
        for department in item.get("departments", []):
            # Each listed afdeling is its own row, also several of one organisation without a number.
            HousingDepartment.objects.create(
                housing_area=area, organisation=_org(organisations, department["organisation"]),
                number=str(department["number"]), name=department.get("name", ""),
            )

    strategic = data.get("strategic_agreement") or {}
    agreement = StrategicAgreement.objects.create(
        plan=plan,
        documents="\n".join(strategic.get("documents", [])),
        **{key: strategic.get(key, "") for key in (
            "section_1_area", "section_2_vision", "section_3_organisation", "section_4_interplay",
            "section_7_evaluation", "section_8_revision")},
        contract_date=_date(strategic.get("contract_date")),
        contract_issuer=_org(organisations, strategic.get("contract_issuer")),
        contract_issuer_department=strategic.get("contract_issuer_department", ""),
    )
    for order, party in enumerate(strategic.get("parties", []), start=1):
        organisation = _org(organisations, party["organisation"])
        agreement_party, _ = AgreementParty.objects.get_or_create(
            agreement=agreement, organisation=organisation,
            defaults={"role": party.get("role", "")[:200], "signatory_name": party.get("signatory_name", ""),
                      "signatory_title": party.get("signatory_title", "")[:200],
                      "signed_date": _date(party.get("signed_date")), "order": order},
        )
        services.party_contacts_set(party=agreement_party, contacts=_party_contacts(organisation, party))

    for order, item in enumerate(data.get("sub_agreements", []), start=1):
        sub_agreement = services.subagreement_create(
            plan=plan, focus_area=areas_by_name[item["focus_area"]],
            start_date=_date(item.get("start_date")), end_date=_date(item.get("end_date")),
            initiative_name=item.get("initiative_name", ""),
            municipal_coherence=item.get("municipal_coherence", ""),
            conflict_handling=item.get("conflict_handling", ""),
            revision=item.get("revision", ""), order=order,
            economic_frame_amount=item.get("economic_frame_amount"),
            economic_frame=item.get("economic_frame", ""),
        )
        for party_order, party in enumerate(item.get("parties", []), start=1):
            organisation = _org(organisations, party["organisation"])
            sub_agreement_party, _ = SubAgreementParty.objects.get_or_create(
                sub_agreement=sub_agreement, organisation=organisation,
                defaults={"role": (party.get("role") or "")[:300], "order": party_order},
            )
            services.party_contacts_set(party=sub_agreement_party, contacts=_party_contacts(organisation, party))
        for staff_order, staff in enumerate(item.get("staff_resources", []), start=1):
            resource = StaffResource.objects.create(
                sub_agreement=sub_agreement, function=staff["function"][:200],
                percent=staff.get("percent"), hours_per_week=staff.get("hours_per_week"),
                financed_by=(staff.get("financed_by") or "")[:200],
                financed_by_plan=bool(staff.get("financed_by_plan", True)),
                note=staff.get("note", ""), order=staff_order,
            )
            resource.contacts.set(_contacts(organisations, staff.get("contacts", [])))
        for activity_order, activity in enumerate(item.get("activities", []), start=1):
            services.activity_create(
                sub_agreement=sub_agreement, name=activity["name"][:300], order=activity_order,
                short_description=activity.get("short_description", ""),
                purpose=activity.get("purpose", ""), target_group=activity.get("target_group", ""),
                content=activity.get("content", ""), anchoring=activity.get("anchoring", ""),
                responsibilities=activity.get("responsibilities", ""), locations=activity.get("locations", ""),
                municipal_cofinancing=bool(activity.get("municipal_cofinancing")),
                revision=activity.get("revision", ""),
                housing_areas=[housing[name] for name in activity.get("housing_areas", []) if name in housing],
                responsible_organisations=[
                    _org(organisations, name) for name in activity.get("responsible_organisations", [])
                ],
                contacts=[c for c in (Contact.objects.filter(name=name).first()
                                      for name in activity.get("contacts", [])) if c],
            )
    return plan


def demo_plan_data() -> list[dict]:
    return [read_json(DEMO_DIR / f"{slug}.json") for slug in DEMO_PLAN_SLUGS if (DEMO_DIR / f"{slug}.json").exists()]
