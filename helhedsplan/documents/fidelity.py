"""Fidelity audit of the demo plans: are their documents true to the source documents?

Every field of a demo plan's JSON (``fixtures/demo/<slug>.json``) that has a counterpart in the
source document is checked twice:

- *printed*: the value appears in the text of the plan's generated document (the HTML the PDF is made
  from: the samlet plan, which holds the samarbejdsaftale, every delaftale and the budgetark);
- *in the source*: the value appears word for word in the source text.

A field is verbatim when every one of its lines (paragraphs and bullets are separate lines) is both.
Both texts are normalised the same way first, and only typographically: whitespace collapsed, soft
hyphens dropped, non-breaking and hyphen variants made plain, bullet marks, table rules and Markdown
emphasis removed, "50%" written "50 %". Nothing is fuzzy: a changed word is a miss. A missing line is
classed by how much of it the source holds in runs of at least a few words: mostly there is a
transcription difference (the report shows where it starts), hardly at all is content the source
lacks. Personal names, e-mail addresses and phone numbers are fictional by rule and not audited.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings

from agreements.demo import DEMO_DIR, read_json
from agreements.models import Plan
from helhedsplan.documents import builders
from helhedsplan.documents.text import text_blocks
from helhedsplan.formatting import format_date, format_number

# The source document of each demo plan: ``<number>_*.txt`` in the seeds directory.
SEED_NUMBERS = {"en-faelles-indsats": "001", "amager": "002", "bispebjerg-udsatte-grupper": "003"}

# Why a field is not verbatim.
NOT_PRINTED = "not_printed"  # in the source, but the document does not print it as it stands
DIFFERS = "differs"  # mostly in the source, but changed somewhere (transcription)
ABSENT = "absent"  # hardly any of it is in the source: content the source lacks
CAUSE_LABELS = {NOT_PRINTED: "ikke i dokumentet", DIFFERS: "afviger fra kilden", ABSENT: "findes ikke i kilden"}

# A line counts as a transcription difference when runs of at least MIN_RUN_WORDS words found in the
# source cover at least DIFFERS_SHARE of it; otherwise it is content the source lacks.
MIN_RUN_WORDS = 3
DIFFERS_SHARE = 0.5

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december"]


def default_seeds_dir() -> Path:
    """The source documents live beside the repository: ``../shared/seeds``."""
    return Path(settings.BASE_DIR).parent / "shared" / "seeds"


def seed_path(slug: str, seeds_dir: Path) -> Path | None:
    number = SEED_NUMBERS.get(slug)
    if number is None:
        return None
    found = sorted(seeds_dir.glob(f"{number}_*.txt"))
    return found[0] if found else None


# --- Normalisation ---------------------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans({
    "\u00ad": None,  # soft hyphen
    "\u200b": None,  # zero-width space
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",  # no-break and thin spaces
    "\u2010": "-", "\u2011": "-",  # hyphen, no-break hyphen
    "|": " ",  # table cell borders of the extracted sources
})
# Bullet marks and dash-like marks standing alone (a bullet, or a dash between words: the sources write
# bullets inline, " • a • b" or " - a - b", the documents as list items).
_LONE_MARK = re.compile(r"(?:(?<=\s)|^)[-−–•▪·\uf0b7\uf0a7*](?=\s|$)")
_TABLE_RULE = re.compile(r"(?<!\S)(?::?-{3,}:?)(?!\S)")
_EMPHASIS = re.compile(r"\*\*|__")
_HEADING_MARK = re.compile(r"(?m)^#+\s")
_PERCENT = re.compile(r"(\d)\s*%")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as compared: typography made plain, bullets and table rules gone, whitespace collapsed."""
    text = _HEADING_MARK.sub("", text.translate(_TYPOGRAPHY))
    text = _EMPHASIS.sub("", text)
    text = _TABLE_RULE.sub(" ", text)
    text = _LONE_MARK.sub(" ", text)
    text = _PERCENT.sub(r"\1 %", text)
    return _SPACE.sub(" ", text).strip()


class _TextExtractor(HTMLParser):
    """The visible text of an HTML document, with a space wherever an element starts or ends."""

    SKIP = {"script", "style", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return html.unescape("".join(parser.parts))


def document_text(plan: Plan) -> str:
    """The normalised text of the plan's samlet document, as the PDF is made from it."""
    return normalise(html_text(builders.samlet_document(plan=plan).render_html()))


# --- Fields ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One audited value: where it sits in the demo JSON, and its lines as the source would have them.
    ``printed`` are the same lines as the document prints them (they differ for dates and numbers)."""

    path: str
    lines: tuple[str, ...]
    printed: tuple[str, ...]
    # Alternative spellings of a date or number in the source; any one of them will do.
    source_forms: tuple[tuple[str, ...], ...] = ()


def _text_field(path: str, value: Any) -> Field | None:
    if not isinstance(value, str) or not value.strip():
        return None
    lines = tuple(normalise(line) for _, block in text_blocks(value) for line in block)
    lines = tuple(line for line in lines if line)
    return Field(path, lines, lines) if lines else None


def _date_field(path: str, value: str | None) -> Field | None:
    if not value:
        return None
    day = date.fromisoformat(value)
    forms = (
        f"{day:%d.%m.%y}", f"{day:%d.%m.%Y}", f"{day.day}.{day.month}.{day:%Y}", f"{day:%d-%m-%Y}",
        f"{day:%d/%m/%Y}", f"{day.day}. {MONTHS[day.month - 1]} {day.year}",
        f"{day.day}. {MONTHS[day.month - 1].capitalize()} {day.year}",
    )
    printed = normalise(format_date(day))
    return Field(path, (printed,), (printed,), source_forms=(forms,))


def _number_field(path: str, value: Any, unit: str) -> Field | None:
    if value is None:
        return None
    printed = normalise(f"{format_number(value)} {unit}".strip())
    return Field(path, (printed,), (printed,))


INDICATOR_TEXTS = ("text", "target", "baseline_area", "baseline_other_label", "baseline_other", "baseline_year",
                   "data_source")
AGREEMENT_SECTIONS = ("section_1_area", "section_2_vision", "section_3_organisation", "section_4_interplay",
                      "section_7_evaluation", "section_8_revision")
SKEMA_TEXTS = ("name", "purpose", "target_group", "content", "anchoring", "responsibilities", "locations")


def _indicator_fields(path: str, indicator: dict) -> Iterator[Field | None]:
    for key in INDICATOR_TEXTS:
        yield _text_field(f"{path}.{key}", indicator.get(key))


def _budget_fields(budget: dict | None, expense_types: dict[int, str]) -> Iterator[Field | None]:
    if not budget:
        return
    years = [str(year) for year in budget.get("years", [])]
    for index, line in enumerate(budget.get("lines", [])):
        path = f"budget.lines[{index}]"
        yield _text_field(f"{path}.name", line.get("name"))
        yield _text_field(f"{path}.footnote", line.get("footnote"))
        if line.get("expense_type") is not None:
            code = line["expense_type"]
            yield _text_field(f"{path}.expense_type", f"{code}. {expense_types.get(code, '')}")
        amounts = [line.get("amounts", {}).get(year) for year in years]
        amounts = [amount for amount in amounts if amount]
        if amounts:
            # The yearly amounts in order, as one run of the sheet's row.
            row = normalise(" ".join(format_number(amount) for amount in amounts))
            yield Field(f"{path}.amounts", (row,), (row,))


def plan_fields(data: dict, expense_types: dict[int, str] | None = None) -> list[Field]:
    """Every field of a demo plan's JSON that has a counterpart in its source."""
    fields: list[Field | None] = []
    plan = data.get("plan", {})
    fields += [_text_field("plan.name", plan.get("name")), _text_field("plan.area_name", plan.get("area_name")),
               _date_field("plan.start_date", plan.get("start_date")),
               _date_field("plan.end_date", plan.get("end_date")),
               _text_field("plan.lbf_journal_number", plan.get("lbf_journal_number"))]
    for i, organisation in enumerate(data.get("organisations", [])):
        fields += [_text_field(f"organisations[{i}].name", organisation.get("name")),
                   _text_field(f"organisations[{i}].short_name", organisation.get("short_name"))]
        # Contact names, e-mails and phones are fictional by rule; a title is the source's.
        fields += [_text_field(f"organisations[{i}].contacts[{j}].title", contact.get("title"))
                   for j, contact in enumerate(organisation.get("contacts", []))]
    for i, area in enumerate(data.get("housing_areas", [])):
        fields += [_text_field(f"housing_areas[{i}].name", area.get("name")),
                   _text_field(f"housing_areas[{i}].description", area.get("description"))]
        for j, department in enumerate(area.get("departments", [])):
            fields += [_text_field(f"housing_areas[{i}].departments[{j}].number", department.get("number")),
                       _text_field(f"housing_areas[{i}].departments[{j}].name", department.get("name"))]
    for i, area in enumerate(data.get("focus_areas", [])):
        fields += [_text_field(f"focus_areas[{i}].focus_area", area.get("focus_area")),
                   _text_field(f"focus_areas[{i}].problem_complex", area.get("problem_complex"))]
    strategic = data.get("strategic_agreement") or {}
    for i, party in enumerate(strategic.get("parties", [])):
        fields += [_text_field(f"strategic_agreement.parties[{i}].role", party.get("role")),
                   _text_field(f"strategic_agreement.parties[{i}].signatory_title", party.get("signatory_title")),
                   _date_field(f"strategic_agreement.parties[{i}].signed_date", party.get("signed_date"))]
    fields += [_text_field(f"strategic_agreement.documents[{i}]", text)
               for i, text in enumerate(strategic.get("documents", []))]
    fields += [_text_field(f"strategic_agreement.{key}", strategic.get(key)) for key in AGREEMENT_SECTIONS]
    for i, goal in enumerate(data.get("goals", [])):
        fields.append(_text_field(f"goals[{i}].text", goal.get("text")))
        for j, indicator in enumerate(goal.get("indicators", [])):
            fields += _indicator_fields(f"goals[{i}].indicators[{j}]", indicator)
    for i, sub in enumerate(data.get("sub_agreements", [])):
        path = f"sub_agreements[{i}]"
        fields += [_text_field(f"{path}.initiative_name", sub.get("initiative_name")),
                   _date_field(f"{path}.start_date", sub.get("start_date")),
                   _date_field(f"{path}.end_date", sub.get("end_date"))]
        fields += [_text_field(f"{path}.parties[{j}].role", party.get("role"))
                   for j, party in enumerate(sub.get("parties", []))]
        fields += [_text_field(f"{path}.{key}", sub.get(key))
                   for key in ("municipal_coherence", "conflict_handling", "revision")]
        economy = sub.get("economy_text") or {}
        fields += [_number_field(f"{path}.economy_text.{key}", economy.get(key), "kr.")
                   for key in ("lbf", "local", "total")]
        for j, staff in enumerate(sub.get("staff_resources", [])):
            staff_path = f"{path}.staff_resources[{j}]"
            fields += [_text_field(f"{staff_path}.function", staff.get("function")),
                       _number_field(f"{staff_path}.percent", staff.get("percent"), "%"),
                       _number_field(f"{staff_path}.hours_per_week", staff.get("hours_per_week"), "timer"),
                       _text_field(f"{staff_path}.financed_by", staff.get("financed_by")),
                       _text_field(f"{staff_path}.note", staff.get("note"))]
        for j, sub_goal in enumerate(sub.get("sub_goals", [])):
            fields.append(_text_field(f"{path}.sub_goals[{j}].text", sub_goal.get("text")))
            for k, indicator in enumerate(sub_goal.get("indicators", [])):
                fields += _indicator_fields(f"{path}.sub_goals[{j}].indicators[{k}]", indicator)
        for j, activity in enumerate(sub.get("activities", [])):
            fields += [_text_field(f"{path}.activities[{j}].{key}", activity.get(key)) for key in SKEMA_TEXTS]
    fields += _budget_fields(data.get("budget"), expense_types or {})
    return [item for item in fields if item is not None]


# --- Matching --------------------------------------------------------------------------------------

def _contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` as whole words (a "15" is not found inside "2015")."""
    start = haystack.find(needle)
    while start != -1:
        before = haystack[start - 1] if start else " "
        end = start + len(needle)
        after = haystack[end] if end < len(haystack) else " "
        if not (needle[0].isalnum() and before.isalnum()) and not (needle[-1].isalnum() and after.isalnum()):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _longest_prefix_in(words: list[str], haystack: str) -> int:
    """How many of ``words`` from the start occur together in ``haystack`` (binary search)."""
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if " ".join(words[:middle]) in haystack:
            low = middle
        else:
            high = middle - 1
    return low


def source_share(line: str, source: str) -> float:
    """The share of ``line``'s characters that lie in runs of at least ``MIN_RUN_WORDS`` words (or the
    whole line, if shorter) found in ``source``."""
    words = line.split(" ")
    covered, index = 0, 0
    minimum = min(MIN_RUN_WORDS, len(words))
    while index < len(words):
        run = _longest_prefix_in(words[index:], source)
        if run >= minimum:
            covered += len(" ".join(words[index:index + run]))
            index += run
        else:
            index += 1
    return covered / max(len(line), 1)


def short_diff(line: str, source: str, width: int = 60) -> str:
    """Where ``line`` leaves the source: the longest start of it the source has, then both continuations."""
    words = line.split(" ")
    run = _longest_prefix_in(words, source)
    if run == 0:
        return f"demo »{_clip(line, width)}«"
    prefix = " ".join(words[:run])
    at = source.find(prefix) + len(prefix)
    rest = line[len(prefix):]
    return (f"ens til »…{_clip(prefix[-30:], 30)}«, så demo »{_clip(rest, width)}« / "
            f"kilde »{_clip(source[at:at + width], width)}«")


def _clip(text: str, width: int) -> str:
    text = text.strip()
    return text if len(text) <= width else text[:width - 1] + "…"


@dataclass
class Miss:
    path: str
    cause: str
    detail: str


@dataclass
class PlanAudit:
    slug: str
    seed: str
    fields: int = 0
    verbatim: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100 * self.verbatim / self.fields if self.fields else 100.0

    def by_cause(self, cause: str) -> list[Miss]:
        return [miss for miss in self.misses if miss.cause == cause]


def _check(item: Field, source: str, document: str) -> Miss | None:
    for index, line in enumerate(item.lines):
        forms = item.source_forms[index] if index < len(item.source_forms) else (line,)
        if not any(_contains(source, normalise(form)) for form in forms):
            share = source_share(line, source)
            cause = DIFFERS if share >= DIFFERS_SHARE else ABSENT
            where = f"linje {index + 1}: " if len(item.lines) > 1 else ""
            return Miss(item.path, cause, where + short_diff(line, source))
    for index, line in enumerate(item.printed):
        if not _contains(document, line):
            where = f"linje {index + 1}: " if len(item.printed) > 1 else ""
            return Miss(item.path, NOT_PRINTED, f"{where}»{_clip(line, 80)}«")
    return None


def expense_type_names() -> dict[int, str]:
    path = DEMO_DIR / "expense_types.json"
    return {item["code"]: item["name"] for item in read_json(path)} if path.exists() else {}


def audit_plan(plan: Plan, seeds_dir: Path) -> PlanAudit:
    """Audit one loaded demo plan against its source (``FileNotFoundError`` without one)."""
    path = seed_path(plan.slug, seeds_dir)
    data_path = DEMO_DIR / f"{plan.slug}.json"
    if path is None or not data_path.exists():
        raise FileNotFoundError(f"Ingen kilde eller demodata for »{plan.slug}« i {seeds_dir}.")
    source = normalise(path.read_text(encoding="utf-8"))
    document = document_text(plan)
    result = PlanAudit(plan.slug, path.name)
    for item in plan_fields(read_json(data_path), expense_type_names()):
        result.fields += 1
        miss = _check(item, source, document)
        if miss is None:
            result.verbatim += 1
        else:
            result.misses.append(miss)
    return result
