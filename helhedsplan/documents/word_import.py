"""Bringing an existing delaftale in from a Word file written in LBF's template.

``read_delaftale`` maps the file's headings and tables to the delaftale's fields (the title names the
indsatsområde; the fields table, Delaftalens parter, the Delmål og indikatorer table, the activity
list, the medarbejderressourcer, Sammenhæng, Konflikthåndtering, Revision and one skema per activity)
and lists what went where and what it could not place — without writing anything.
``delaftale_import`` then creates the delaftale as a kladde, all or nothing.

The labels are LBF's (``word``); a trailing colon, as LBF's own template has it, is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from docx import Document as read_docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from agreements import services as agreement_services
from agreements.models import (
    Contact,
    FocusArea,
    HousingArea,
    Organisation,
    Plan,
    PlanFocusArea,
    StaffResource,
    SubAgreement,
    SubAgreementParty,
)
from helhedsplan.formatting import MONTHS
from helhedsplan.uploads import ImportRefused, check_word_file
from indicators import services as indicator_services
from indicators.models import Indicator

from . import word

MONITORING = "Monitorering (ingen mål)"
ACTIVITY_KIND_PREFIX = "Akt.nær indikator: "
SKEMA_LABELS = {label: name for name, label in word.SKEMA_FIELDS}
TEXT_HEADINGS = {word.HEADING_COHERENCE: "municipal_coherence", word.HEADING_CONFLICT: "conflict_handling",
                 word.HEADING_REVISION: "revision"}
#: Sentences the documents print themselves; never content to import.
BOILERPLATE = {word.DELAFTALE_INTRO, "Alle indikatorer er årlige opgørelser."}
DATE = re.compile(r"(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})", re.IGNORECASE)


class WordImportError(ValueError):
    """The file cannot be imported at all (not a Word file, no delaftale title …). Message in Danish."""


@dataclass
class DelaftaleImport:
    """What a Word file holds, mapped to the delaftale's fields, and what could not be placed."""

    focus_area: FocusArea | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    parties: list[dict[str, Any]] = field(default_factory=list)
    party_contacts: list[list[Contact]] = field(default_factory=list)  # per party, in ``parties``' order
    sub_goals: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    placed: list[tuple[str, str]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def place(self, where: str, what: str) -> None:
        self.placed.append((where, _short(what)))


def _short(text: str, length: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _label(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip()


def _blocks_text(paragraphs: list[Paragraph]) -> str:
    """Paragraphs (bullets as "- " lines) back into the stored plain text: a blank line between blocks."""
    blocks: list[str] = []
    bullets: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if paragraph.style.name.startswith("List"):
            bullets.append(f"- {text}")
            continue
        if bullets:
            blocks.append("\n".join(bullets))
            bullets = []
        blocks.append(text)
    if bullets:
        blocks.append("\n".join(bullets))
    text = "\n\n".join(blocks)
    return "" if text == word.EMPTY else text


def _cells(row) -> list[str]:
    seen, values = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:  # a merged cell appears once per column it spans
            seen.add(id(cell._tc))
            values.append(cell.text.strip())
    return values


def _rows(table: Table) -> list[list[str]]:
    return [_cells(row) for row in table.rows]


def parse_danish_date(text: str) -> date | None:
    """``1. januar 2022`` → ``date(2022, 1, 1)``; None when it is no such date."""
    match = DATE.search(text)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    try:
        return date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
    except ValueError:
        return None


def _share(text: str) -> dict[str, Decimal | None]:
    number = re.search(r"\d+(?:[.,]\d+)?", text or "")
    if not number:
        return {}
    try:
        value = Decimal(number.group(0).replace(".", "").replace(",", ".") if "," in number.group(0)
                        else number.group(0))
    except InvalidOperation:
        return {}
    return {"hours_per_week": value} if "time" in text else {"percent": value}


# --- Reading ----------------------------------------------------------------------------------------------

def read_delaftale(*, plan: Plan, content: bytes) -> DelaftaleImport:
    """Map a delaftale's Word file to its fields, for ``plan``. Raises ``WordImportError`` when the
    file is no Word file or has no delaftale title; problems with single fields go to ``errors``."""
    try:
        check_word_file(content)
    except ImportRefused as error:
        raise WordImportError(error.message) from error
    try:
        document = read_docx(BytesIO(content))
    except (BadZipFile, KeyError, ValueError) as error:
        raise WordImportError("Filen kan ikke læses som et Word-dokument (.docx).") from error
    result = DelaftaleImport()
    section: str | None = None
    pending: list[Paragraph] = []
    texts: dict[str, list[Paragraph]] = {}

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            _read_table(plan, result, section, block)
            continue
        text = block.text.strip()
        label = _label(text)
        if not text:
            continue
        if text.startswith(word.DELAFTALE_TITLE) and result.focus_area is None:
            _read_title(plan, result, text[len(word.DELAFTALE_TITLE):].strip())
            section = "title"
            continue
        if label in {word.HEADING_PARTIES, word.HEADING_SUBGOALS, word.HEADING_ACTIVITIES, word.HEADING_STAFF,
                     word.HEADING_ECONOMY, word.HEADING_SKEMAS} or label in TEXT_HEADINGS:
            section = label
            continue
        if section in TEXT_HEADINGS:
            texts.setdefault(section, []).append(block)
        elif section == word.HEADING_ACTIVITIES and block.style.name.startswith("List"):
            cofinancing = text.endswith(f"({word.COFINANCING_TAG})")
            name = text.removesuffix(f"({word.COFINANCING_TAG})").strip()
            if not any(activity["name"] == name for activity in result.activities):
                result.activities.append({"name": name, "municipal_cofinancing": cofinancing})
            result.place("Aktivitetsliste", name)
        elif (text in BOILERPLATE or section == "title" or section is None or block.style.name == "Title"
              or block.runs and all(run.italic for run in block.runs if run.text.strip())):
            # The plan name, the status line, the documents' own sentences and the italic "nothing
            # registered" lines are the document's, not content.
            pending.append(block)
        else:
            result.unplaced.append(_short(text))
    for heading, name in TEXT_HEADINGS.items():
        value = _blocks_text(texts.get(heading, []))
        result.fields[name] = value
        if value:
            result.place(heading, value)
    if result.focus_area is None and not result.errors:
        result.errors.append(f"Filen har ingen titel »{word.DELAFTALE_TITLE}…«, så indsatsområdet er ukendt.")
    return result


def _read_title(plan: Plan, result: DelaftaleImport, name: str) -> None:
    area = FocusArea.objects.filter(pulje_id=plan.pulje_id, name__iexact=name).first()
    if area is None:
        known = ", ".join(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("name", flat=True))
        result.errors.append(f"Indsatsområdet »{name}« findes ikke i puljen {plan.pulje.name}. Mulige: {known}.")
        return
    if not PlanFocusArea.objects.filter(plan=plan, focus_area=area).exists():
        result.errors.append(f"Indsatsområdet »{area.name}« er ikke valgt i helhedsplanen »{plan.name}«; "
                             f"vælg det først.")
    elif SubAgreement.objects.filter(plan=plan, focus_area=area).exists():
        result.errors.append(f"Helhedsplanen »{plan.name}« har allerede en delaftale for indsatsområdet »{name}«.")
    result.focus_area = area
    result.place("Indsatsområde", area.name)


def _read_table(plan: Plan, result: DelaftaleImport, section: str | None, table: Table) -> None:
    rows = _rows(table)
    if not rows:
        return
    first = [_label(cell) for cell in rows[0]]
    if first and first[0] == word.SKEMA_NAME:
        _read_skema(plan, result, rows)
    elif first[:2] == word.PARTY_HEADER:
        _read_parties(result, rows[1:])
    elif first[:2] == word.SUBGOAL_HEADER[:2]:
        _read_sub_goals(result, rows[1:])
    elif first[:1] == word.STAFF_HEADER[:1]:
        _read_staff(result, rows[1:])
    elif section == word.HEADING_ECONOMY:
        result.unplaced.append("Indsatsområdets økonomi (kommer fra budgettet og indlæses ikke)")
    else:
        for row in rows:
            label, value = (_label(row[0]), row[1]) if len(row) >= 2 else ("", "")
            if label == word.FIELD_INITIATIVE:
                result.fields["initiative_name"] = value
                result.place(word.FIELD_INITIATIVE, value)
            elif label == word.FIELD_PERIOD:
                start, _, end = value.partition("–")
                start_date, end_date = parse_danish_date(start), parse_danish_date(end)
                if start_date is None or end_date is None:
                    result.errors.append(f"Perioden »{value}« kan ikke læses; skriv f.eks. "
                                         f"»1. januar 2024 – 31. december 2027«.")
                else:
                    result.fields.update(start_date=start_date, end_date=end_date)
                    result.place(word.FIELD_PERIOD, value)
            else:
                result.unplaced.append(_short(" | ".join(row)))


def _contact_names(cell: str) -> list[str]:
    """The names in a party's contact persons cell: each contact person is a block of lines (name,
    title, e-mail, phone) and blocks are separated by a blank line."""
    blocks = re.split(r"\n\s*\n", cell.strip())
    return [block.strip().split("\n")[0].strip() for block in blocks if block.strip()]


def _read_parties(result: DelaftaleImport, rows: list[list[str]]) -> None:
    names = {row[0] for row in rows if row and row[0]}
    organisations = {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}
    contacts = {(contact.organisation_id, contact.name): contact
                for contact in Contact.objects.filter(organisation__in=organisations.values())}
    for row in rows:
        name, role = row[0], row[1] if len(row) > 1 else ""
        if name not in organisations:
            result.unplaced.append(f"Part »{name}« (organisationen findes ikke; opret den først)")
            continue
        organisation = organisations[name]
        party_contacts = []
        for contact_name in _contact_names(row[2] if len(row) > 2 else ""):
            contact = contacts.get((organisation.pk, contact_name))
            if contact is None:
                result.unplaced.append(f"Kontaktperson »{contact_name}« hos {name} (findes ikke hos organisationen; "
                                       f"opret den først)")
                continue
            if contact not in party_contacts:
                party_contacts.append(contact)
        result.parties.append({"organisation": organisation, "role": role})
        result.party_contacts.append(party_contacts)
        result.place(word.HEADING_PARTIES, f"{name}: {role}")
        for contact in party_contacts:
            result.place(word.PARTY_CONTACTS, f"{name}: {contact.name}")


def _read_sub_goals(result: DelaftaleImport, rows: list[list[str]]) -> None:
    for row in rows:
        row = (row + [""] * 6)[:6]
        goal, indicator_cell, baseline_area, other, year, source = row
        if goal:
            result.sub_goals.append({"text": goal, "indicators": []})
            result.place("Delmål", goal)
        if not result.sub_goals:
            result.unplaced.append(_short(" | ".join(row)))
            continue
        if indicator_cell in ("", "Ingen indikator"):
            continue
        lines = indicator_cell.split("\n")
        text, fields = lines[0], {"baseline_area": baseline_area, "baseline_year": year, "data_source": source}
        if text.startswith(ACTIVITY_KIND_PREFIX):
            text, fields["kind"] = text[len(ACTIVITY_KIND_PREFIX):], Indicator.Kind.ACTIVITY
        target = "\n".join(lines[1:]).strip()
        if target == MONITORING:
            fields["monitoring"] = True
        elif target:
            fields["target"] = target.removeprefix("Mål:").strip()
        other_lines = other.split("\n")
        fields["baseline_other"] = other_lines[0]
        if len(other_lines) > 1:
            fields["baseline_other_label"] = " ".join(other_lines[1:])
        result.sub_goals[-1]["indicators"].append({"text": text, **fields})
        result.place("Indikator", text)


def _read_staff(result: DelaftaleImport, rows: list[list[str]]) -> None:
    for row in rows:
        function, share, financed_by, note = (row + [""] * 4)[:4]
        if not function:
            continue
        result.staff.append({"function": function, "financed_by": financed_by, "note": note, **_share(share)})
        result.place(word.HEADING_STAFF, f"{function} ({share})")


def _listed_activity(result: DelaftaleImport, name: str) -> dict[str, Any] | None:
    """The activity list's entry for the skema named ``name``: the entry that is the name itself, or
    the name followed by ", " and the activity's one-line description (then both are taken apart)."""
    activity = next((item for item in result.activities if item["name"] == name), None)
    if activity is not None or not name:
        return activity
    prefix = f"{name}, "
    activity = next((item for item in result.activities
                     if item["name"].startswith(prefix) and "short_description" not in item), None)
    if activity is not None:
        activity["short_description"] = activity["name"][len(prefix):].strip()
        activity["name"] = name
    return activity


def _read_skema(plan: Plan, result: DelaftaleImport, rows: list[list[str]]) -> None:
    name = rows[0][1] if len(rows[0]) > 1 else ""
    activity = _listed_activity(result, name)
    if activity is None:
        activity = {"name": name, "municipal_cofinancing": False}
        result.activities.append(activity)
    result.place("Aktivitetsskema", name)
    for row in rows[1:]:
        label, value = _label(row[0]), row[1] if len(row) > 1 else ""
        if label in SKEMA_LABELS:
            activity[SKEMA_LABELS[label]] = "" if value == word.EMPTY else value
            result.place(f"{name}: {label}", value)
        elif label == word.SKEMA_COFINANCING:
            activity["municipal_cofinancing"] = True
        elif label == "Boligområder":
            names = [part.strip() for part in value.split(",")]
            areas = list(HousingArea.objects.filter(plan=plan, name__in=names))
            activity["housing_areas"] = areas
            missing = set(names) - {area.name for area in areas}
            if missing:
                result.unplaced.append(
                    f"{name}: boligområder, som helhedsplanen ikke har: {', '.join(sorted(missing))}")
        elif label == "Ansvarlige organisationer":
            names = [part.strip() for part in value.split(",")]
            organisations = list(Organisation.objects.filter(name__in=names))
            activity["responsible_organisations"] = organisations
            missing = set(names) - {organisation.name for organisation in organisations}
            if missing:
                result.unplaced.append(f"{name}: ukendte organisationer: {', '.join(sorted(missing))}")
        else:
            result.unplaced.append(f"{name}: {_short(label + ' | ' + value)}")


# --- Writing ----------------------------------------------------------------------------------------------

@transaction.atomic
def delaftale_import(*, plan: Plan, content: DelaftaleImport) -> SubAgreement:
    """Create the delaftale (a kladde) with everything ``read_delaftale`` placed, all or nothing.
    Raises ``WordImportError`` (Danish) when the file had errors or a field breaks a rule."""
    if content.errors or content.focus_area is None:
        raise WordImportError(" ".join(content.errors) or "Indsatsområdet er ukendt.")
    try:
        sub_agreement = agreement_services.subagreement_create(plan=plan, focus_area=content.focus_area,
                                                               **content.fields)
        parties = [SubAgreementParty(order=number, **party) for number, party in enumerate(content.parties, start=1)]
        changes = dict(
            parties=agreement_services.ChildChanges(saved=parties, contacts=[
                (party, contacts)
                for party, contacts in zip(parties, content.party_contacts, strict=True) if contacts]),
            staff_resources=agreement_services.ChildChanges(saved=[
                StaffResource(order=number, **resource) for number, resource in enumerate(content.staff, start=1)]),
        )
        if content.parties or content.staff:
            agreement_services.subagreement_save(sub_agreement=sub_agreement, expected_version=sub_agreement.version,
                                                 **changes)
        for number, activity in enumerate(content.activities, start=1):
            fields = dict(activity)
            agreement_services.activity_create(sub_agreement=sub_agreement, order=number, **fields)
        for number, sub_goal in enumerate(content.sub_goals, start=1):
            created = indicator_services.sub_goal_create(sub_agreement=sub_agreement, text=sub_goal["text"],
                                                         order=number)
            for order, indicator in enumerate(sub_goal["indicators"], start=1):
                indicator_services.indicator_create(sub_goal=created, order=order, **indicator)
    except ValidationError as error:
        raise WordImportError("Delaftalen kan ikke oprettes: " + " ".join(error.messages)) from error
    return sub_agreement
