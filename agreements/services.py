"""Writes: every change of a plan's agreements goes through these functions.

Each validates with ``full_clean()`` and runs in one transaction, so forms, admin, imports and
``load_demo`` share one set of rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify

from . import permissions
from .models import (
    Activity,
    AgreementParty,
    Clause,
    Comment,
    Contact,
    FocusArea,
    HousingArea,
    HousingDepartment,
    Organisation,
    Plan,
    PlanFocusArea,
    PlanMembership,
    Pulje,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
    VersionedDocument,
)
from .signals import plan_created


class SubAgreementFields(TypedDict, total=False):
    """The delaftale's own fields a service may set (each optional: only those given change)."""

    initiative_name: str
    start_date: date
    end_date: date
    municipal_coherence: str
    conflict_handling: str
    revision: str
    economic_frame_amount: int | None
    economic_frame: str
    order: int


class ActivityFields(TypedDict, total=False):
    """An activity's own fields (its skema); the links (boligområder, organisations, contacts) are separate."""

    name: str
    short_description: str
    purpose: str
    target_group: str
    content: str
    anchoring: str
    responsibilities: str
    locations: str
    municipal_cofinancing: bool
    revision: str
    order: int


class StrategicAgreementFields(TypedDict, total=False):
    """The strategic agreement's sections 1–4, 7 and 8 and its list of aftaledokumenter."""

    documents: str
    section_1_area: str
    section_2_vision: str
    section_3_organisation: str
    section_4_interplay: str
    section_7_evaluation: str
    section_8_revision: str
    contract_date: date | None
    contract_issuer: Organisation | None
    contract_issuer_department: str


def _apply(instance: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


# --- A new plan ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DepartmentInput:
    """A boligafdeling of a new plan's boligområde."""

    number: str
    organisation: Organisation
    name: str = ""


@dataclass(frozen=True)
class HousingAreaInput:
    """A boligområde of a new plan with its afdelinger."""

    name: str
    departments: Sequence[DepartmentInput] = ()


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
SLUG_MAX_LENGTH = Plan._meta.get_field("slug").max_length


def plan_slug_for(name: str) -> str:
    """A free URL name for a plan called ``name``: "Fælles Fremtid" → ``faelles-fremtid`` (then -2, -3 …)."""
    base = slugify(name.translate(_DANISH_LETTERS))[:SLUG_MAX_LENGTH - 4].strip("-") or "helhedsplan"
    taken = set(Plan.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_new_plan(*, pulje: Pulje, start_date: date, end_date: date, focus_areas: Sequence[FocusArea],
                    housing_areas: Sequence[HousingAreaInput]) -> None:
    errors: dict[str, list[str]] = {}
    if not pulje.first_year <= start_date.year <= pulje.last_year:
        # A plan granted in the pulje's last year runs past it, so only the start is bound to the pulje.
        errors.setdefault("start_date", []).append(
            f"En plan i {pulje} skal begynde i årene {pulje.first_year}–{pulje.last_year}.")
    if end_date < start_date:
        errors.setdefault("end_date", []).append("Slutdatoen skal ligge efter startdatoen.")
    if not focus_areas:
        errors.setdefault("focus_areas", []).append("Vælg mindst ét indsatsområde.")
    if any(area.pulje_id != pulje.pk for area in focus_areas):
        errors.setdefault("focus_areas", []).append("Indsatsområderne skal høre til den valgte pulje.")
    names = [area.name.strip().casefold() for area in housing_areas]
    if len(names) != len(set(names)):
        errors.setdefault("housing_areas", []).append("To boligområder har samme navn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_create(*, by: AbstractBaseUser, name: str, pulje: Pulje, start_date: date, end_date: date,
                focus_areas: Sequence[FocusArea], administrating_organisation: Organisation | None = None,
                municipality: Organisation | None = None, lbf_journal_number: str = "",
                housing_areas: Sequence[HousingAreaInput] = ()) -> Plan:
    """Start a helhedsplan: the plan with its indsatsområder and boligområder, the strategic agreement,
    one delaftale per indsatsområde, and whatever the apps above add to a new plan (``plan_created``:
    LBF's overordnede mål with the faste indikatorer). ``by`` needs ``CREATE_PLAN`` and becomes the
    plan's first sekretariat member; the plan's history names them as its creator."""
    permissions.require(by, permissions.CREATE_PLAN)
    _check_new_plan(pulje=pulje, start_date=start_date, end_date=end_date, focus_areas=focus_areas,
                    housing_areas=housing_areas)
    plan = Plan(
        name=name.strip(), slug=plan_slug_for(name), pulje=pulje, start_date=start_date, end_date=end_date,
        area_name=", ".join(area.name.strip() for area in housing_areas),
        lbf_journal_number=lbf_journal_number.strip(),
        administrating_organisation=administrating_organisation, municipality=municipality,
    )
    plan.full_clean()
    plan._history_user = by  # also when called outside a request (the history middleware's user)
    plan.save()

    ordered = sorted(focus_areas, key=lambda area: (area.order, area.name))
    for order, focus_area in enumerate(ordered, start=1):
        plan_focus_area_add(plan=plan, focus_area=focus_area, order=order)
    for order, item in enumerate(housing_areas, start=1):
        area = HousingArea(plan=plan, name=item.name.strip(), order=order)
        area.full_clean()
        area.save()
        for department in item.departments:
            row = HousingDepartment(housing_area=area, organisation=department.organisation,
                                    number=department.number.strip(), name=department.name.strip())
            row.full_clean()
            row.save()
    strategic_agreement_get_or_create(plan=plan)
    for order, focus_area in enumerate(ordered, start=1):
        subagreement_create(plan=plan, focus_area=focus_area, order=order)
    membership = PlanMembership(user=by, plan=plan, role=PlanMembership.Role.SECRETARIAT)
    membership.full_clean()
    membership._history_user = by
    membership.save()
    plan_created.send(sender=Plan, plan=plan, by=by)
    return plan


@transaction.atomic
def plan_focus_area_add(*, plan: Plan, focus_area, problem_complex: str = "", order: int = 0) -> PlanFocusArea:
    choice = PlanFocusArea(plan=plan, focus_area=focus_area, problem_complex=problem_complex, order=order)
    choice.full_clean()
    choice.save()
    return choice


@transaction.atomic
def subagreement_create(*, plan: Plan, focus_area: FocusArea, start_date: date | None = None,
                        end_date: date | None = None, **fields: Unpack[SubAgreementFields]) -> SubAgreement:
    """Create a delaftale; its period defaults to the plan's and must lie inside it."""
    sub_agreement = SubAgreement(
        plan=plan,
        focus_area=focus_area,
        start_date=start_date or plan.start_date,
        end_date=end_date or plan.end_date,
    )
    _apply(sub_agreement, fields)
    sub_agreement.full_clean()
    sub_agreement.save()
    return sub_agreement


@transaction.atomic
def subagreement_update(*, sub_agreement: SubAgreement, **fields: Unpack[SubAgreementFields]) -> SubAgreement:
    """Change delaftale fields without an editor's version (scripts, imports); use ``subagreement_save``
    from editors so concurrent edits are refused."""
    _apply(sub_agreement, fields)
    sub_agreement.full_clean()
    sub_agreement.save()
    return sub_agreement


@transaction.atomic
def activity_create(*, sub_agreement: SubAgreement, name: str, housing_areas=(), responsible_organisations=(),
                    contacts=(), **fields: Unpack[ActivityFields]) -> Activity:
    activity = Activity(sub_agreement=sub_agreement, name=name)
    _apply(activity, fields)
    activity.full_clean()
    activity.save()
    if housing_areas:
        activity.housing_areas.set(housing_areas)
    if responsible_organisations:
        activity.responsible_organisations.set(responsible_organisations)
    if contacts:
        activity.contacts.set(contacts)
    return activity


# --- Optimistic locking ------------------------------------------------------------------------------

class VersionConflict(Exception):
    """Somebody else saved the document after this editor loaded it: the save is refused."""

    def __init__(self, document: VersionedDocument, expected: int, current: int | None):
        self.document = document
        self.expected = expected
        self.current = current
        # Another app's document (the budget) names itself: (definite form, pronoun).
        name, pronoun = getattr(document, "conflict_name", None) or (
            ("Delaftalen" if isinstance(document, SubAgreement) else "Samarbejdsaftalen"), "den")
        super().__init__(
            f"{name} er blevet ændret af en anden, efter du åbnede {pronoun}. Dine ændringer er ikke gemt – "
            "de står stadig i formularen."
        )


def claim_version(document: VersionedDocument, expected_version: int) -> None:
    """Move the document from ``expected_version`` to the next version, or raise ``VersionConflict``.

    One conditional UPDATE: of two concurrent saves of the same version exactly one wins, on SQLite
    and on PostgreSQL alike. Call inside the save's transaction, then ``save()`` the document.
    """
    model = type(document)
    claimed = model.objects.filter(pk=document.pk, version=expected_version).update(version=expected_version + 1)
    if claimed != 1:
        current = model.objects.filter(pk=document.pk).values_list("version", flat=True).first()
        raise VersionConflict(document, expected_version, current)
    document.version = expected_version + 1
    document._version_claimed = True


@dataclass
class ChildChanges:
    """New or changed child rows (unsaved instances) and rows to delete, e.g. from a formset.

    ``contacts`` pairs a party row (one of ``saved`` or an unchanged one) with the contact persons it
    should have afterwards, in the order given."""

    saved: list[models.Model] = field(default_factory=list)
    deleted: list[models.Model] = field(default_factory=list)
    contacts: list[tuple[models.Model, Sequence[Contact]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.saved or self.deleted or self.contacts)


def _apply_children(changes: ChildChanges | None, *, parent_field: str, parent: models.Model) -> None:
    if not changes:
        return
    for obj in changes.deleted:
        if getattr(obj, f"{parent_field}_id") != parent.pk:
            raise ValidationError("Rækken hører ikke til dette dokument.")
        obj.delete()
    siblings = type(changes.saved[0]).objects.filter(**{parent_field: parent}) if changes.saved else None
    next_order = ((siblings.aggregate(m=Max("order"))["m"] or 0) + 1) if siblings is not None else 1
    for obj in changes.saved:
        if obj.pk is not None and getattr(obj, f"{parent_field}_id") != parent.pk:
            raise ValidationError("Rækken hører ikke til dette dokument.")
        setattr(obj, parent_field, parent)
        if getattr(obj, "order", None) in (None, ""):
            obj.order = next_order
            next_order += 1
        obj.full_clean()
        obj.save()
        # Links a formset row carries (e.g. a staff resource's contacts) are set once the row is saved.
        for name, values in getattr(obj, "_pending_links", {}).items():
            if set(getattr(obj, name).all()) != set(values):
                getattr(obj, name).set(values)
    for party, contacts in changes.contacts:
        if getattr(party, f"{parent_field}_id") != parent.pk:
            raise ValidationError("Rækken hører ikke til dette dokument.")
        party_contacts_set(party=party, contacts=contacts)
    for obj in changes.saved:  # a party moved to another organisation keeps no contact person of the old one
        links = getattr(obj, "contact_links", None)
        if links is not None and links.exclude(contact__organisation_id=obj.organisation_id).exists():
            raise ValidationError(f"Parten {obj.organisation} har kontaktpersoner fra en anden organisation; "
                                  f"fjern dem, eller vælg partens egne.")


PartyWithContacts = SubAgreementParty | AgreementParty


@transaction.atomic
def party_contacts_set(*, party: PartyWithContacts, contacts: Sequence[Contact]) -> bool:
    """Give a party (of a delaftale or of the strategic agreement) exactly these contact persons.

    Contact persons it already has keep their place; new ones follow, in the order given. Each must
    work for the party's organisation. Returns False when nothing changed (then nothing is written).
    """
    wanted = list(dict.fromkeys(contacts))
    links = list(party.contact_links.select_related("contact"))
    current = [link.contact for link in links]
    if set(current) == set(wanted):
        return False
    link_model = type(party).contacts.through
    for link in links:
        if link.contact not in wanted:
            link.delete()
    next_order = max((link.order for link in links if link.contact in wanted), default=0) + 1
    for contact in wanted:
        if contact in current:
            continue
        link = link_model(party=party, contact=contact, order=next_order)
        link.full_clean()
        link.save()
        next_order += 1
    return True


def _changed(instance: models.Model, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from what is stored (a bound ModelForm has already changed
    the instance in memory, so compare with the database row)."""
    stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    reference = stored if stored is not None else instance
    return {name: value for name, value in fields.items() if getattr(reference, name) != value}


@transaction.atomic
def subagreement_save(*, sub_agreement: SubAgreement, expected_version: int, fields: SubAgreementFields | None = None,
                      parties: ChildChanges | None = None, activities: ChildChanges | None = None,
                      staff_resources: ChildChanges | None = None) -> bool:
    """Save the delaftale editor: its fields and its parties, activities and staff resources at once.

    Refused with ``VersionConflict`` when somebody saved the delaftale after ``expected_version`` was
    loaded. Returns False when nothing changed (then nothing is written).
    """
    changed = _changed(sub_agreement, fields or {})
    if not changed and not (parties or activities or staff_resources):
        return False
    claim_version(sub_agreement, expected_version)
    _apply(sub_agreement, changed)
    sub_agreement.full_clean()
    sub_agreement.save()
    _apply_children(parties, parent_field="sub_agreement", parent=sub_agreement)
    _apply_children(activities, parent_field="sub_agreement", parent=sub_agreement)
    _apply_children(staff_resources, parent_field="sub_agreement", parent=sub_agreement)
    return True


def _check_same_plan(plan: Plan, housing_areas) -> None:
    if any(area.plan_id != plan.pk for area in housing_areas):
        raise ValidationError({"housing_areas": "Boligområdet hører ikke til helhedsplanen."})


@transaction.atomic
def activity_save(*, activity: Activity, expected_version: int, fields: ActivityFields | None = None,
                  housing_areas=None, responsible_organisations=None, contacts=None) -> Activity:
    """Create or change one activity (the activity editor); locks its delaftale's version."""
    sub_agreement = activity.sub_agreement
    if housing_areas is not None:
        _check_same_plan(sub_agreement.plan, housing_areas)
    claim_version(sub_agreement, expected_version)
    sub_agreement.save()
    _apply(activity, fields or {})
    if activity.order in (None, ""):
        activity.order = (sub_agreement.activities.aggregate(m=Max("order"))["m"] or 0) + 1
    activity.full_clean()
    activity.save()
    for name, values in (("housing_areas", housing_areas), ("responsible_organisations", responsible_organisations),
                         ("contacts", contacts)):
        if values is not None and set(getattr(activity, name).all()) != set(values):
            getattr(activity, name).set(values)
    return activity


@transaction.atomic
def strategic_agreement_get_or_create(*, plan: Plan) -> StrategicAgreement:
    agreement, _ = StrategicAgreement.objects.get_or_create(plan=plan)
    return agreement


@transaction.atomic
def strategic_agreement_save(*, agreement: StrategicAgreement, expected_version: int,
                             fields: StrategicAgreementFields | None = None, parties: ChildChanges | None = None,
                             focus_areas: ChildChanges | None = None) -> bool:
    """Save the strategic agreement editor: sections, parties with signatories, problemkomplekser."""
    changed = _changed(agreement, fields or {})
    if not changed and not (parties or focus_areas):
        return False
    claim_version(agreement, expected_version)
    _apply(agreement, changed)
    agreement.full_clean()
    agreement.save()
    _apply_children(parties, parent_field="agreement", parent=agreement)
    if focus_areas:
        if focus_areas.deleted:
            raise ValidationError("Indsatsområder vælges af administrator og kan ikke fjernes her.")
        for choice in focus_areas.saved:
            if choice.plan_id != agreement.plan_id:
                raise ValidationError("Indsatsområdet hører ikke til helhedsplanen.")
            choice.full_clean()
            choice.save()
    return True


# --- Small shared objects -----------------------------------------------------------------------------

@transaction.atomic
def comment_add(*, plan: Plan, author: AbstractBaseUser, text: str,
                sub_agreement: SubAgreement | None = None) -> Comment:
    if sub_agreement is not None and sub_agreement.plan_id != plan.pk:
        raise ValidationError("Delaftalen hører ikke til helhedsplanen.")
    comment = Comment(plan=plan, sub_agreement=sub_agreement, author=author, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def clause_save(*, clause: Clause, by: AbstractBaseUser, category: str, title: str, text: str) -> Clause:
    """Create a clause (``by`` becomes its creator) or change one; the caller checks the permission."""
    clause.category, clause.title, clause.text = category, title, text
    if clause.pk is None:
        clause.created_by = by
    clause.full_clean()
    clause.save()
    return clause


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: AbstractBaseUser, name: str, short_name: str = "",
                      kind: str = Organisation.Kind.OTHER, address: str = "", website: str = "") -> Organisation:
    """Create an organisation (``by`` becomes its creator) or change one; the caller checks the permission."""
    organisation.name, organisation.short_name, organisation.kind = name, short_name, kind
    organisation.address, organisation.website = address, website
    if organisation.pk is None:
        organisation.created_by = by
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def contact_save(*, contact: Contact, by: AbstractBaseUser, organisation: Organisation, name: str, title: str = "",
                 email: str = "", phone: str = "") -> Contact:
    """Create a contact person (``by`` becomes its creator) or change one; the caller checks the permission."""
    contact.organisation, contact.name, contact.title, contact.email, contact.phone = (
        organisation, name, title, email, phone)
    if contact.pk is None:
        contact.created_by = by
    contact.full_clean()
    contact.save()
    return contact
