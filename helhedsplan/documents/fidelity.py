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

import bisect
import difflib
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
NEEDS_MODEL = "needs_model"  # a value the model requires where the source has none
SOURCE_DEFECT = "source_defect"  # the source's text is damaged there; the demo has what it must have said
CAUSE_LABELS = {NOT_PRINTED: "ikke i dokumentet", DIFFERS: "afviger fra kilden", ABSENT: "findes ikke i kilden",
                NEEDS_MODEL: "kræver et modelfelt, projektet ikke har endnu",
                SOURCE_DEFECT: "kilden er beskadiget her"}

# Misses explained field by field, per plan: (regular expression on the field path, cause, why). They
# still count as fields that are not verbatim, and the report lists them under their cause; only a
# miss of such a field that is not printed stays a plain miss.
KNOWN_MISSES: dict[str, list[tuple[str, str, str]]] = {
    "en-faelles-indsats": [
        (r"^sub_agreements\[3\]\.sub_goals\[[01]\]\.indicators\[0\]\.text$", SOURCE_DEFECT,
         "kilden har sløret ordet »Andel« som et navn (»Xxxxx af beboere«)"),
        (r"^sub_agreements\[2\]\.activities\[[01]\]\.purpose$", SOURCE_DEFECT,
         "kilden har sløret aktivitetens navn (»XXXX bidrager«, »Xxxxxx Betjent bidrager«)"),
    ],
    "amager": [
        (r"^sub_agreements\[2\]\.activities\[2\]\.target_group$", SOURCE_DEFECT,
         "kilden har sløret ordet »Børn« (»Xxxx og unge, der opholder sig …«)"),
        (r"^sub_agreements\[1\]\.activities\[1\]\.responsibilities$", SOURCE_DEFECT,
         "kilden har sløret aktivitetens navn (»Xxxxxxxxxx med mentor«)"),
        (r"^organisations\[8\]\.name$", SOURCE_DEFECT,
         "kilden læser »Børne og ungdomsforvaltningen (BUF)« (bindestregen tabt)"),
        (r"^budget\.lines\[4\]\.amounts$", SOURCE_DEFECT,
         "kilden læser »000 | 000 | 000 | 264«; i alt 1.056 = 4 × 264"),
        (r"^goals\[3\]\.indicators\[1\]\.baseline_other$", SOURCE_DEFECT,
         "kilden læser »Folketings valg KK/ helelandet«, »Kommunal valg«"),
        (r"^sub_agreements\[0\]\.activities\[0\]\.content$", SOURCE_DEFECT,
         "kilden har sløret fodnotens nummer sammen med forfatternavnene (»0Xxxxxxx«)"),
    ],
    "bispebjerg-udsatte-grupper": [
        (r"^organisations\[18\]\.name$", SOURCE_DEFECT, "kilden læser »Opsgende« (ø tabt i udtrækket)"),
        (r"^(plan|sub_agreements\[\d+\])\.(start|end)_date$", NEEDS_MODEL,
         "en københavnerkontrakt har en dato (12. december 2013), ikke en periode; planen kræver en periode"),
    ],
}

# A line counts as a transcription difference when runs of at least MIN_RUN_WORDS words found in the
# source cover at least DIFFERS_SHARE of it; otherwise it is content the source lacks.
MIN_RUN_WORDS = 3
DIFFERS_SHARE = 0.5
# A short line (at most NEAR_MAX_WORDS words) that differs from a run of source words by a few letters
# (similarity of at least NEAR_RATIO) is a transcription difference too.
NEAR_MAX_WORDS = 8
NEAR_RATIO = 0.85

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
_INLINE_TAG = re.compile(r"</?(?:i|b|u|p|em|strong|br|span|sup|sub)\b[^>]*>", re.IGNORECASE)
_HEADING_MARK = re.compile(r"(?m)^#+\s")
_PERCENT = re.compile(r"(\d)\s*%")
_SPACE = re.compile(r"\s+")
# A word hyphenated at a line end ("ikke- vestlig", "beboer- haverne") or written with a hyphen: read
# whole, on both sides. "Sundheds- og …" and "Børne- eller …" are not hyphenation.
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\s?(?!(?:og|eller|samt|til|som|&|\+)\b)(?=[^\W\d_])")
# Footnote references as superscripts or "[4]" read as the source's extracted text does: "hele.4".
_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_BRACKETED_NOTE = re.compile(r"\[(\d{1,2})\]")
# Footnote markers in the source's budget lines ("Boligsocial medarbejder 2 (13), deltid"), which the
# demo keeps apart from the name.
_NOTE_MARKER = re.compile(r" \((?:\d{1,2}[a-z]?)(?: \+ \d{1,2})?\)")


def normalise(text: str, *, join_hyphenated: bool = True) -> str:
    """Text as compared: typography made plain, bullets and table rules gone, whitespace collapsed,
    hyphenated words whole (unless ``join_hyphenated`` is false)."""
    text = _HEADING_MARK.sub("", text.translate(_TYPOGRAPHY))
    text = _EMPHASIS.sub("", _INLINE_TAG.sub(" ", text))
    text = _TABLE_RULE.sub(" ", text)
    text = _LONE_MARK.sub(" ", text)
    text = _PERCENT.sub(r"\1 %", text)
    text = _BRACKETED_NOTE.sub(r"\1", text.translate(_SUPERSCRIPTS))
    text = _SPACE.sub(" ", text)
    return (_HYPHENATED.sub("", text) if join_hyphenated else text).strip()


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
        footnotes = line.get("footnote")
        for number, footnote in enumerate(footnotes if isinstance(footnotes, list) else [footnotes]):
            yield _text_field(f"{path}.footnote" + (f"[{number}]" if isinstance(footnotes, list) else ""), footnote)
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


# A blacked-out name in the source ("Xxxxx Xxxxx", "xx0x@xx.xx", "xxx.xxxxxx.xx"), and the demo's
# stand-in for it ("[anonymiseret skole]").
_MASKED = re.compile(r"^\W*(?:v[/.])?(?=[^\s]*[Xx]{2})[Xx0-9.@:/_-]+\W*$")
_ANONYMISED = re.compile(r"\[anonymiseret[^\]]*\]")
ANONYMISED = "\x00anonymiseret"

# Interleaved matching: at most this many source words between two words of a line, and in all.
MAX_GAP = 60
MAX_SKIPPED_EXTRA = 20
MAX_SKIPPED_PER_WORD = 2


class SourceIndex:
    """The normalised source as text and as words, for the two ways a line can be found in it.

    *Contiguous*: the line is a part of the text. *Interleaved*: the line's words occur in the source
    in the same order, each one whole (or split in two by the extraction: "helhedsplane ns"), with
    only a few source words between them: the text of a table cell that the extraction interleaved
    with the neighbouring cells, or a paragraph broken by a page's footnotes. No word may be changed
    or added, and none may stand where the source has a blacked-out word; a source word standing for a
    blacked-out name matches the demo's "[anonymiseret …]". A word left out of the line among the
    skipped ones goes unnoticed, which is why the skips are few (``MAX_SKIPPED_PER_WORD``) and the
    report counts these fields apart.
    """

    def __init__(self, raw: str) -> None:
        self.text = normalise(raw)
        self.text_without_markers = _NOTE_MARKER.sub("", self.text)
        self._folded: str | None = None
        # Words as extracted: a word hyphenated at a line end stays two words here, so that a table
        # cell's neighbour is not glued to it; the pair reads as one word below.
        self.words = normalise(raw, join_hyphenated=False).split(" ")
        self.starts: dict[str, list[tuple[int, int]]] = {}
        for index, word in enumerate(self.words):
            self.starts.setdefault(_HYPHENATED.sub("", word), []).append((index, 1))
            if index + 1 < len(self.words):
                pair = word[:-1] if word.endswith("-") and word[-2:-1].isalpha() else word
                self.starts.setdefault(_HYPHENATED.sub("", pair + self.words[index + 1]), []).append((index, 2))
                # A word hyphenated in a table cell, with a word of the next cell extracted between.
                if pair is not word:
                    for gap in (2, 3):
                        if index + gap < len(self.words):
                            joined = _HYPHENATED.sub("", pair + self.words[index + gap])
                            self.starts.setdefault(joined, []).append((index, gap + 1))
            if _MASKED.match(word):
                self.starts.setdefault(ANONYMISED, []).append((index, 1))
        for occurrences in self.starts.values():
            occurrences.sort()
        self._keys = {word: [start for start, _ in occurrences] for word, occurrences in self.starts.items()}

    def contains(self, line: str) -> bool:
        return _contains(self.text, line) or _contains(self.text_without_markers, line)

    def contains_folded(self, line: str) -> bool:
        """Ignoring case: for dates only ("12. DECEMBER 2013")."""
        if self._folded is None:
            self._folded = self.text.casefold()
        return _contains(self._folded, line.casefold())

    def has_near(self, line: str) -> bool:
        """Whether a short line (a name, a title) differs from some run of source words by a few
        letters only ("Opsøgende" extracted as "Opsgende"). Only decides how a miss is classed."""
        words = line.split(" ")
        if len(words) > NEAR_MAX_WORDS:
            return False
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(line)
        for start in range(len(self.words) - len(words) + 1):
            candidate = " ".join(self.words[start:start + len(words)])
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= NEAR_RATIO and matcher.quick_ratio() >= NEAR_RATIO \
                    and matcher.ratio() >= NEAR_RATIO:
                return True
        return False

    def interleaved(self, line: str) -> int | None:
        """The number of source words skipped to find ``line``'s words in order, or None."""
        words = [ANONYMISED if ANONYMISED in word else word
                 for word in _ANONYMISED.sub(ANONYMISED, line).split(" ")]
        if any(word not in self.starts for word in words):
            return None
        anchor = min(range(len(words)), key=lambda index: len(self.starts[words[index]]))
        best: int | None = None
        limit = MAX_SKIPPED_PER_WORD * len(words) + MAX_SKIPPED_EXTRA
        for start, width in self.starts[words[anchor]]:
            after = self._forward(words[anchor + 1:], start + width, words[anchor])
            before = self._backward(list(reversed(words[:anchor])), start)
            if after is None or before is None:
                continue
            skipped = after + before
            if skipped <= limit and (best is None or skipped < best):
                best = skipped
                if best == 0:
                    break
        return best

    def _masked_at(self, index: int) -> bool:
        return 0 <= index < len(self.words) and bool(_MASKED.match(self.words[index]))

    def _forward(self, words: list[str], position: int, previous: str | None = None) -> int | None:
        skipped = 0
        for word in words:
            starts = self._keys[word]
            at = bisect.bisect_left(starts, position)
            if at == len(starts) or starts[at] - position > MAX_GAP:
                return None
            # A word of the line where the source has a blacked-out one (unless the name the line
            # anonymises runs on over several source words).
            if starts[at] > position and self._masked_at(position) and previous != ANONYMISED:
                return None
            previous = word
            skipped += starts[at] - position
            position = starts[at] + self.starts[word][at][1]
        return skipped

    def _backward(self, words: list[str], position: int) -> int | None:
        skipped = 0
        for word in words:
            occurrences = self.starts[word]
            # The last occurrence that ends at or before ``position``.
            at = bisect.bisect_right(self._keys[word], position - 1) - 1
            while at >= 0 and occurrences[at][0] + occurrences[at][1] > position:
                at -= 1
            if at < 0:
                return None
            end = occurrences[at][0] + occurrences[at][1]
            if position - end > MAX_GAP:
                return None
            if end < position and self._masked_at(position - 1) and word != ANONYMISED:
                return None
            skipped += position - end
            position = occurrences[at][0]
        return skipped


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
    interleaved: int = 0  # verbatim fields with a line found only interleaved in the source
    misses: list[Miss] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100 * self.verbatim / self.fields if self.fields else 100.0

    def by_cause(self, cause: str) -> list[Miss]:
        return [miss for miss in self.misses if miss.cause == cause]


def _known_miss(slug: str, path: str) -> tuple[str, str] | None:
    for pattern, cause, reason in KNOWN_MISSES.get(slug, []):
        if re.search(pattern, path):
            return cause, reason
    return None


def _check(item: Field, source: SourceIndex, document: str) -> tuple[Miss | None, bool]:
    """``(miss or None, whether a line was found only interleaved)``."""
    interleaved = False
    for index, line in enumerate(item.lines):
        forms = item.source_forms[index] if index < len(item.source_forms) else (line,)
        if any(source.contains(normalise(form)) for form in forms) or (
                item.source_forms and any(source.contains_folded(normalise(form)) for form in forms)):
            continue
        # A phrase lifted out of a sentence into a field of its own starts with a capital letter
        # ("v. sekretariatschef …" → the title "Sekretariatschef"); that letter alone may differ.
        if not item.source_forms and source.contains(line[:1].swapcase() + line[1:]):
            continue
        # A title the source sets in capitals ("KONTRAKT OM BOLIGSOCIALT SAMARBEJDE PÅ").
        if not item.source_forms and line.upper() != line and source.contains(line.upper()):
            continue
        if len(forms) == 1 and source.interleaved(line) is not None:
            interleaved = True
            continue
        share = source_share(line, source.text)
        cause = DIFFERS if share >= DIFFERS_SHARE or source.has_near(line) else ABSENT
        where = f"linje {index + 1}: " if len(item.lines) > 1 else ""
        return Miss(item.path, cause, where + short_diff(line, source.text)), interleaved
    for index, line in enumerate(item.printed):
        if not _contains(document, line):
            where = f"linje {index + 1}: " if len(item.printed) > 1 else ""
            return Miss(item.path, NOT_PRINTED, f"{where}»{_clip(line, 80)}«"), interleaved
    return None, interleaved


def expense_type_names() -> dict[int, str]:
    path = DEMO_DIR / "expense_types.json"
    return {item["code"]: item["name"] for item in read_json(path)} if path.exists() else {}


def audit_plan(plan: Plan, seeds_dir: Path) -> PlanAudit:
    """Audit one loaded demo plan against its source (``FileNotFoundError`` without one)."""
    path = seed_path(plan.slug, seeds_dir)
    data_path = DEMO_DIR / f"{plan.slug}.json"
    if path is None or not data_path.exists():
        raise FileNotFoundError(f"Ingen kilde eller demodata for »{plan.slug}« i {seeds_dir}.")
    source = SourceIndex(path.read_text(encoding="utf-8"))
    document = document_text(plan)
    result = PlanAudit(plan.slug, path.name)
    for item in plan_fields(read_json(data_path), expense_type_names()):
        result.fields += 1
        miss, interleaved = _check(item, source, document)
        known = _known_miss(plan.slug, item.path)
        if miss is not None and known and miss.cause in (DIFFERS, ABSENT):
            miss = Miss(item.path, known[0], f"{known[1]}; {miss.detail}")
        if miss is None:
            result.verbatim += 1
            result.interleaved += interleaved
        else:
            result.misses.append(miss)
    return result
