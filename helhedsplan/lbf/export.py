"""LBF-udtræk: the current (or as-of-a-date) approved documents of one, several or all plans as a ZIP.

"Ajourførte delaftaler skal til hver en tid kunne rekvireres af Landsbyggefonden." One service,
``export_lbf``, used by the command (``manage.py export_lbf``), the background task and the views.

Per plan, a folder ``<slug>/`` with
- ``samarbejdsaftale.pdf|.json`` and ``delaftale-<n>-<område>.pdf|.json``: the approval snapshots' own
  PDF (byte for byte what the bestyrelse approved) and JSON; beside each PDF its ``.docx`` (and
  ``budgetark.docx``) while the document is still exactly the approved content (a Word file is written
  from the document as it is now, ``documents.services.faithful_docx``). With ``as_of`` each
  document is its latest snapshot approved on or before that date; drafts are never exported;
- ``budgetark.xlsx`` (LBF layout), ``budgetark.pdf`` and ``budgetark.json``: the budgetark's current
  approved version (with ``as_of`` the one approved on or before that date), from its snapshot — never
  today's draft; a plan without an approved budget has none, and the README says so;
- ``okonomiopfolgning.pdf`` and ``okonomiopfolgning.xlsx``: budget against forbrug (the document for the
  bestyrelse, and every line's forbrug per year in the import layout), as at export time;
- ``bilag/``: the files of the bilag and organisationsdiagrammer the exported approvals hold (by the SHA-256
  in their snapshots), named ``<document>-<n>-<title>.<pdf|png|jpg>``; a file deleted since is named in the
  README;
- ``delaftaler.json`` and ``delaftaler.xlsx``: the approved delaftaler as data, one row per delaftale,
  activity, indicator, party and staff resource, taken from the snapshots;
and at the top ``README.txt``: what is included, each document's approval date, the export time and
the delaftaler without an approved version.

The ZIP is built in a temporary file (in memory while small, then on the local disk), never in a
place anyone reads from: the background export then saves it into the default storage (local files or
the S3 bucket) under LBF_EXPORT_DIR, and only a saved file is marked finished; the command renames it
into its ``--output`` path. A failed export leaves nothing behind.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files import File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from agreements.attachments import AttachmentUnavailable, attachment_read
from agreements.models import ATTACHMENT_SUFFIXES, Attachment, Plan, SubAgreement
from agreements.permissions import plans_visible_to
from budgets.actuals_file import write_actuals_xlsx
from budgets.followup import budget_followup
from budgets.models import Budget
from budgets.selectors import content_sheet
from budgets.snapshots import snapshot_content
from budgets.xlsx import write_budget_xlsx
from helhedsplan.approvals import selectors
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state
from helhedsplan.documents import builders as documents
from helhedsplan.documents import pdf
from helhedsplan.documents.services import faithful_docx, faithful_html
from helhedsplan.formatting import format_date
from helhedsplan.notifications.models import Kind
from helhedsplan.notifications.services import notify
from helhedsplan.spreadsheets import write_xlsx_cell
from helhedsplan.storage import delete_unreferenced

from .models import LbfExport, export_file_name

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class ExportError(Exception):
    """The export cannot be made; ``messages`` says why, in Danish (every problem at once)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass
class PlanContent:
    """What one plan contributes to the export."""

    plan: Plan
    strategic: Approval | None
    subagreements: list[Approval]
    not_approved: list[SubAgreement] = field(default_factory=list)
    newer_drafts: list[SubAgreement] = field(default_factory=list)
    budget: Approval | None = None  # the budgetark's approved version in force
    budget_changed: bool = False  # the budget has changed since that approval (current exports only)
    missing_attachments: list[str] = field(default_factory=list)  # approved bilag whose file is gone

    @property
    def approvals(self) -> list[Approval]:
        return ([self.strategic] if self.strategic else []) + self.subagreements

    @property
    def steps(self) -> int:
        return len(self.approvals) + 2  # the documents, the budgetark, the data files


@dataclass
class ExportPlan:
    """A validated export: the plans with content, and the plans left out (all-plans exports only)."""

    contents: list[PlanContent]
    skipped: list[tuple[Plan, str]]
    as_of: date | None
    explicit: bool

    @property
    def steps(self) -> int:
        return sum(content.steps for content in self.contents)


@dataclass
class ExportSummary:
    plans: list[str]
    documents: int
    size: int
    seconds: float
    files: list[str]
    path: Path | None = None  # the file the command wrote


@dataclass
class BuiltArchive:
    """A finished ZIP in a temporary file, rewound to its start."""

    file: IO[bytes]
    size: int
    documents: int
    files: list[str]


# --- Choosing what goes in ----------------------------------------------------------------------------

def resolve_plans(*, slugs: Iterable[str] | None,
                  user: AbstractBaseUser | AnonymousUser | None = None) -> tuple[list[Plan], bool]:
    """The plans to export (all the user may see when no slug is given) and whether they were named.

    With a user, a plan they may not see is reported exactly like an unknown one.
    """
    queryset = (plans_visible_to(user) if user is not None else Plan.objects.all()) \
        .select_related("pulje").order_by("name")
    wanted = list(dict.fromkeys(slug.strip() for slug in (slugs or []) if slug.strip()))
    if not wanted:
        plans = list(queryset)
        if not plans:
            raise ExportError(["Der er ingen helhedsplaner at udtrække."])
        return plans, False
    found = {plan.slug: plan for plan in queryset.filter(slug__in=wanted)}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise ExportError([f"Ukendt helhedsplan »{slug}«." for slug in unknown])
    return [found[slug] for slug in wanted], True


def plan_content(plan: Plan, as_of: date | None = None) -> PlanContent:
    """The current approved documents of a plan (as of a date), and the delaftaler without one."""
    subagreements = selectors.current_subagreements(plan, as_of)
    approved_areas = {approval.focus_area_id for approval in subagreements}
    content = PlanContent(plan=plan, strategic=selectors.current_strategic_agreement(plan, as_of),
                          subagreements=subagreements)
    current = {approval.focus_area_id: approval for approval in subagreements}
    for sub_agreement in SubAgreement.objects.filter(plan=plan).select_related("focus_area", "plan"):
        if sub_agreement.focus_area_id not in approved_areas:
            content.not_approved.append(sub_agreement)
        elif as_of is None and not document_state(
                sub_agreement, approval=current[sub_agreement.focus_area_id]).is_approved:
            content.newer_drafts.append(sub_agreement)
    content.budget = selectors.current_budget(plan, as_of)
    if content.budget is not None and as_of is None:
        budget = Budget.objects.filter(plan=plan).select_related("plan__pulje").first()
        content.budget_changed = budget is None or not document_state(budget, approval=content.budget).is_approved
    return content


def prepare_export(*, plans: list[Plan], as_of: date | None, explicit: bool,
                   today: date | None = None) -> ExportPlan:
    """Check the request and collect the documents. Named plans must each have something approved
    (as of the date); an export of all plans leaves out those that have not and says so."""
    today = today or timezone.localdate()
    problems: list[str] = []
    if as_of is not None and as_of > today:
        raise ExportError([f"Datoen {format_date(as_of)} ligger i fremtiden. Et udtræk kan vise, hvad der var "
                           f"gældende på en dato til og med i dag ({format_date(today)})."])
    contents: list[PlanContent] = []
    skipped: list[tuple[Plan, str]] = []
    for plan in plans:
        if as_of is not None and as_of < plan.start_date:
            reason = (f"Helhedsplanen »{plan.name}« begyndte først {format_date(plan.start_date)}; "
                      f"der var intet gældende pr. {format_date(as_of)}.")
        else:
            content = plan_content(plan, as_of)
            if content.approvals:
                contents.append(content)
                continue
            when = f" pr. {format_date(as_of)}" if as_of else ""
            reason = (f"Helhedsplanen »{plan.name}« har ingen godkendte dokumenter{when}: bestyrelsen skal "
                      f"godkende samarbejdsaftalen eller en delaftale, før de kan udtrækkes.")
        if explicit:
            problems.append(reason)
        else:
            skipped.append((plan, reason))
    if problems:
        raise ExportError(problems)
    if not contents:
        raise ExportError(["Ingen af helhedsplanerne har godkendte dokumenter"
                           + (f" pr. {format_date(as_of)}" if as_of else "") + "; der er intet at udtrække.",
                           *[reason for _, reason in skipped]])
    return ExportPlan(contents=contents, skipped=skipped, as_of=as_of, explicit=explicit)


# --- File names and data ---------------------------------------------------------------------------------

def document_file_stem(approval: Approval, number: int | None = None) -> str:
    if approval.kind == Approval.Kind.STRATEGIC:
        return "samarbejdsaftale"
    return f"delaftale-{number}-{approval.focus_area.slug}" if number else f"delaftale-{approval.focus_area.slug}"


def _plain(snapshot_fields: list[dict]) -> dict:
    return {entry["name"]: entry["value"] for entry in snapshot_fields}


def approval_record(approval: Approval) -> dict:
    """The approval facts of a snapshot (no user ids; the approver's name as recorded)."""
    return {
        "godkendt_version": approval.number,
        "bestyrelsesmoede": approval.meeting_date.isoformat(),
        "referat": approval.referat,
        "godkendt_af": approval.approved_by_name,
        "registreret": timezone.localtime(approval.approved_at).isoformat(timespec="seconds"),
        "lbf_godkendt": approval.lbf_approved_on.isoformat() if approval.lbf_approved_on else None,
    }


def subagreement_record(approval: Approval) -> dict:
    """One approved delaftale as plain data from its snapshot: fields, then each collection's rows."""
    data = approval.data
    record = {
        "indsatsomraade": data.get("focus_area", {}).get("name", ""),
        "indsatsomraade_kortnavn": data.get("focus_area", {}).get("slug", ""),
        "titel": data.get("title", approval.title),
        **approval_record(approval),
        "felter": _plain(data.get("fields", [])),
    }
    for group in data.get("collections", []):
        record[group["name"]] = [{"noegle": row["key"], **_plain(row["fields"])} for row in group["items"]]
    return record


def _labels(approvals: list[Approval]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for approval in approvals:
        for entry in approval.data.get("fields", []):
            labels.setdefault(entry["name"], entry["label"])
        for group in approval.data.get("collections", []):
            for row in group["items"]:
                for entry in row["fields"]:
                    labels.setdefault(entry["name"], entry["label"])
    return labels


def delaftaler_json(content: PlanContent, *, exported_at: datetime, as_of: date | None) -> bytes:
    plan = content.plan
    payload = {
        "helhedsplan": {"kortnavn": plan.slug, "navn": plan.name, "pulje": plan.pulje.name,
                        "gaelder_fra": plan.start_date.isoformat(), "gaelder_til": plan.end_date.isoformat(),
                        "dokumenttype": plan.get_document_kind_display()},
        "udtrukket": timezone.localtime(exported_at).isoformat(timespec="seconds"),
        "gaeldende_pr": as_of.isoformat() if as_of else None,
        "feltnavne": _labels(content.subagreements),
        "delaftaler": [subagreement_record(approval) for approval in content.subagreements],
        "ikke_godkendt": [{"indsatsomraade": sub.focus_area.name, "indsatsomraade_kortnavn": sub.focus_area.slug,
                           "status": sub.get_status_display()} for sub in content.not_approved],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def _cell_value(value, type_: str):
    if value is None:
        return None
    if type_ == "list":
        return "; ".join(str(v) for v in value)
    if type_ == "bool":
        return "Ja" if value else "Nej"
    if type_ == "date":
        return date.fromisoformat(value) if value else None
    if type_ == "number":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return str(value)


def _write_cell(ws, row: int, column: int, value) -> None:
    cell = ws.cell(row=row, column=column)
    write_xlsx_cell(cell, value)  # user text is never a formula
    if isinstance(value, date):
        cell.number_format = "DD-MM-YYYY"
    cell.alignment = Alignment(wrap_text=isinstance(value, str) and len(value) > 60, vertical="top")


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = workbook.create_sheet(title=title[:31])
    for column, text in enumerate(header, start=1):
        write_xlsx_cell(ws.cell(row=1, column=column), text)
        ws.cell(row=1, column=column).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(column)].width = 18 if column > 2 else 28
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _write_cell(ws, row_number, column, value)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions


def delaftaler_xlsx(content: PlanContent) -> bytes:
    """One sheet »Delaftaler« (one row per delaftale) and one sheet per part of the delaftale —
    Aktiviteter, Delmål og indikatorer, parter, medarbejderressourcer, økonomi — one row per item, each
    with the template's field names as column headings."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    approvals = content.subagreements
    field_order: list[tuple[str, str, str]] = []
    for approval in approvals:
        for entry in approval.data.get("fields", []):
            if entry["name"] not in [name for name, _, _ in field_order]:
                field_order.append((entry["name"], entry["label"], entry["type"]))
    header = ["Indsatsområde", "Godkendt version", "Bestyrelsesmøde", "Referat",
              *[label for _, label, _ in field_order]]
    rows = []
    for approval in approvals:
        values = _plain(approval.data.get("fields", []))
        rows.append([approval.focus_area.name, approval.number, approval.meeting_date, approval.referat,
                     *[_cell_value(values.get(name), type_) for name, _, type_ in field_order]])
    for sub in content.not_approved:
        rows.append([sub.focus_area.name, None, None, "Ikke godkendt (ikke med i udtrækket)"]
                    + [None] * len(field_order))
    _sheet(workbook, "Delaftaler", header, rows)

    groups: dict[str, dict] = {}
    for approval in approvals:
        for group in approval.data.get("collections", []):
            target = groups.setdefault(group["name"], {"title": group["title"], "columns": [], "rows": []})
            for item in group["items"]:
                for entry in item["fields"]:
                    if entry["name"] not in [name for name, _, _ in target["columns"]]:
                        target["columns"].append((entry["name"], entry["label"], entry["type"]))
                target["rows"].append((approval, item))
    for group in groups.values():
        columns = group["columns"]
        rows = []
        for approval, item in group["rows"]:
            values = {entry["name"]: entry for entry in item["fields"]}
            rows.append([approval.focus_area.name, approval.number,
                         *[_cell_value(values[name]["value"], type_) if name in values else None
                           for name, _, type_ in columns]])
        _sheet(workbook, group["title"].replace("/", "-"), ["Indsatsområde", "Godkendt version",
                                                          *[label for _, label, _ in columns]], rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def budget_files(content: PlanContent) -> dict[str, bytes]:
    """The approved budgetark in force as LBF-layout .xlsx (from its snapshot), its approved PDF and its
    snapshot as JSON; nothing when the plan has no approved budget (as of the date)."""
    approval = content.budget
    if approval is None:
        return {}
    files = {"budgetark.xlsx": write_budget_xlsx(content_sheet(content.plan, snapshot_content(approval.data)))}
    if approval.has_pdf:
        files["budgetark.pdf"] = approval.read_pdf()
    else:
        # Not rendered yet by the worker: from the HTML frozen with the approval (or, for an approval
        # recorded without HTML, today's budgetark while it is still exactly the approved one).
        html = approval.html or faithful_html(approval)
        if html:
            files["budgetark.pdf"] = pdf.render_pdf(html)
    docx = faithful_docx(approval)
    if docx is not None:
        files["budgetark.docx"] = docx
    files["budgetark.json"] = json.dumps(approval.data, ensure_ascii=False, indent=2).encode("utf-8")
    return files


def followup_files(plan: Plan) -> dict[str, bytes]:
    """The økonomiopfølgning as PDF (the documents pipeline's) and the forbrug per line and year as .xlsx."""
    return {
        "okonomiopfolgning.pdf": pdf.render_pdf(
            documents.build_document(plan=plan, kind=documents.OKONOMIOPFOLGNING).render_html()),
        "okonomiopfolgning.xlsx": write_actuals_xlsx(budget_followup(plan), plan=plan),
    }


# --- README ------------------------------------------------------------------------------------------------

def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{format_date(local.date())} kl. {local:%H.%M}"


def _approval_line(approval: Approval) -> str:
    line = (f"version {approval.number}, godkendt på bestyrelsesmødet {format_date(approval.meeting_date)} "
            f"({approval.referat})")
    if approval.lbf_approved_on:
        line += f"; godkendt af LBF {format_date(approval.lbf_approved_on)}"
    elif approval.requires_lbf_approval:
        line += "; afventer LBF's godkendelse"
    return line


def readme_text(export: ExportPlan, *, exported_at: datetime, files_by_plan: dict[str, list[str]]) -> str:
    lines = [
        "LBF-udtræk fra Helhedsplan",
        "==========================",
        "",
        f"Udtrukket: {_when(exported_at)}",
        ("Gældende pr.: " + format_date(export.as_of)
         + " (for hvert dokument den seneste version, bestyrelsen havde godkendt på eller før datoen)")
        if export.as_of else "Gældende: de seneste versioner, bestyrelsen har godkendt",
        "",
        "Dokumenterne (PDF og JSON) er de godkendte versioner, præcis som bestyrelsen godkendte dem: de blev",
        "gemt ved godkendelsen og ændres aldrig. Kladder, der ikke er godkendt, er ikke med.",
        "Budgetarket (xlsx, pdf og json) er den version, bestyrelsen har godkendt (som dokumenterne); den",
        "økonomi, hver delaftale blev godkendt med, står i delaftalen. delaftaler.json og delaftaler.xlsx indeholder",
        "de godkendte delaftaler som data: én række pr. delaftale, aktivitet, indikator, part og",
        "medarbejderressource, med skabelonens feltnavne. Økonomiopfølgningen (pdf og xlsx) viser budget og",
        "registreret forbrug pr. udgiftspost og år på udtrækstidspunktet, i tusinde kr.",
        "Ved siden af samarbejdsaftalens, delaftalernes og budgetarkets PDF ligger dokumentet også som Word-fil",
        "(.docx) i LBF's skabelon, når dokumentet ikke er ændret siden godkendelsen; ellers kun som PDF.",
        "",
    ]
    for content in export.contents:
        plan = content.plan
        lines += [f"{plan.name} (mappen {plan.slug}/)", "-" * (len(plan.name) + len(plan.slug) + 11),
                  f"Periode: {plan.period_display}. Pulje: {plan.pulje.name}.", "", "Dokumenter:"]
        for approval, stem in _numbered(content):
            has_pdf = approval.has_pdf
            names = f"{stem}.pdf og {stem}.json" if has_pdf else f"{stem}.json (ingen PDF gemt ved godkendelsen)"
            lines.append(f"  - {approval.title}: {names} – {_approval_line(approval)}")
        if content.strategic is None:
            lines.append("  - Den strategiske samarbejdsaftale har ingen godkendt version"
                         + (f" pr. {format_date(export.as_of)}" if export.as_of else "") + " og er ikke med.")
        budget_names = [name for name in files_by_plan[plan.slug] if name.startswith("budgetark")]
        if content.budget is not None:
            lines.append("  - Budgetark: " + ", ".join(budget_names) + " – " + _approval_line(content.budget))
        else:
            lines.append("  - Budgetarket har ingen godkendt version"
                         + (f" pr. {format_date(export.as_of)}" if export.as_of else "") + " og er ikke med.")
        lines.append("  - Økonomiopfølgning: " + " og ".join(
            name for name in files_by_plan[plan.slug] if name.startswith("okonomiopfolgning")))
        lines.append("  - Data: delaftaler.json og delaftaler.xlsx")
        bilag = [name for name in files_by_plan[plan.slug] if name.startswith("bilag/")]
        if bilag:
            lines.append("  - Bilag og organisationsdiagram, som de blev godkendt: " + ", ".join(bilag))
        if content.missing_attachments:
            lines.append("  - Godkendte bilag, hvis fil er slettet siden (ikke med): "
                         + "; ".join(content.missing_attachments))
        if content.not_approved:
            lines += ["", "Delaftaler uden godkendt version"
                      + (f" pr. {format_date(export.as_of)}" if export.as_of else "") + " (ikke med i udtrækket):"]
            lines += [f"  - {sub} (status nu: {sub.get_status_display().lower()})" for sub in content.not_approved]
        if content.newer_drafts:
            lines += ["", "Ændret siden seneste godkendelse (udtrækket har den godkendte version, ikke kladden):"]
            lines += [f"  - {sub} (status nu: {sub.get_status_display().lower()})" for sub in content.newer_drafts]
        if content.budget_changed:
            lines += ["", "Budgetarket er ændret siden seneste godkendelse (udtrækket har den godkendte version, "
                          "ikke kladden)."]
        lines.append("")
    if export.skipped:
        lines += ["Helhedsplaner uden noget at udtrække:"] + [f"  - {reason}" for _, reason in export.skipped] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _safe_name(title: str) -> str:
    kept = "".join(char if char.isalnum() or char in " -_" else " " for char in title)
    return "-".join(kept.lower().split())[:60] or "bilag"


def attachment_files(content: PlanContent) -> dict[str, bytes]:
    """The files of the bilag the exported approvals hold (``bilag/<document>-<n>-<title>.<suffix>``), found
    among the plan's attachments by the SHA-256 frozen in each snapshot; an approved file that is no longer
    stored is noted in ``content.missing_attachments``."""
    stored = {attachment.sha256: attachment for attachment in Attachment.objects.filter(plan=content.plan)}
    files: dict[str, bytes] = {}
    for approval, stem in _numbered(content):
        frozen = next((c for c in approval.data.get("collections", []) if c.get("name") == "attachments"), None)
        for number, item in enumerate(frozen["items"] if frozen else [], start=1):
            values = {entry["name"]: entry["value"] for entry in item["fields"]}
            attachment = stored.get(values.get("sha256"))
            try:
                if attachment is None:
                    raise AttachmentUnavailable(values.get("title", ""))
                data = attachment_read(attachment)
            except AttachmentUnavailable:
                content.missing_attachments.append(f"{values.get('title', '')} ({approval.title})")
                continue
            suffix = ATTACHMENT_SUFFIXES[attachment.content_type]
            files[f"bilag/{stem}-{number}-{_safe_name(values.get('title', ''))}.{suffix}"] = data
    return files


def _numbered(content: PlanContent) -> list[tuple[Approval, str]]:
    order = {choice.focus_area_id: index for index, choice in
             enumerate(content.plan.plan_focus_areas.order_by("order", "focus_area__order"), start=1)}
    result = []
    if content.strategic:
        result.append((content.strategic, document_file_stem(content.strategic)))
    for approval in content.subagreements:
        result.append((approval, document_file_stem(approval, order.get(approval.focus_area_id))))
    return result


# --- Writing the ZIP ------------------------------------------------------------------------------------

def _stored(name: str) -> int:
    return zipfile.ZIP_STORED if name.endswith((".pdf", ".xlsx", ".png", ".jpg")) else zipfile.ZIP_DEFLATED


# Up to this size the ZIP being built stays in memory; a larger one continues in a file on local disk.
SPOOL_BYTES = 8 * 1024 * 1024


@contextmanager
def built_archive(export: ExportPlan, *, progress: Progress | None = None,
                  exported_at: datetime | None = None) -> Iterator[BuiltArchive]:
    """Build the ZIP in an anonymous temporary file and yield it, rewound; the file is gone when the block
    ends (whether it was saved somewhere or not)."""
    exported_at = exported_at or timezone.now()
    total, done = export.steps, 0
    stamp = timezone.localtime(exported_at).timetuple()[:6]

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, label)

    if progress:
        progress(0, total, "Starter")
    files: list[str] = []
    documents = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, prefix="lbf-udtraek-", suffix=".zip") as target:
        with zipfile.ZipFile(target, "w") as archive:
            def add(name: str, data: bytes) -> None:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = _stored(name)
                archive.writestr(info, data)
                files.append(name)

            files_by_plan: dict[str, list[str]] = {}
            for content in export.contents:
                folder = content.plan.slug
                for approval, stem in _numbered(content):
                    if approval.has_pdf:
                        add(f"{folder}/{stem}.pdf", approval.read_pdf())
                    docx = faithful_docx(approval)
                    if docx is not None:
                        add(f"{folder}/{stem}.docx", docx)
                    add(f"{folder}/{stem}.json",
                        json.dumps(approval.data, ensure_ascii=False, indent=2).encode("utf-8"))
                    documents += 1
                    step(f"{content.plan.name}: {approval.title}")
                budget = {**budget_files(content), **followup_files(content.plan)}
                documents += 1 if content.budget is not None else 0
                for name, data in budget.items():
                    add(f"{folder}/{name}", data)
                bilag = attachment_files(content)
                for name, data in bilag.items():
                    add(f"{folder}/{name}", data)
                files_by_plan[folder] = [*budget, *bilag]
                step(f"{content.plan.name}: budgetark og økonomiopfølgning")
                add(f"{folder}/delaftaler.json", delaftaler_json(content, exported_at=exported_at, as_of=export.as_of))
                add(f"{folder}/delaftaler.xlsx", delaftaler_xlsx(content))
                step(f"{content.plan.name}: delaftaler som data")
            add("README.txt", readme_text(export, exported_at=exported_at, files_by_plan=files_by_plan)
                .encode("utf-8"))
        size = target.seek(0, os.SEEK_END)
        target.seek(0)
        yield BuiltArchive(file=target, size=size, documents=documents, files=files)


def write_export(export: ExportPlan, *, output: Path, progress: Progress | None = None,
                 exported_at: datetime | None = None, mode: int = 0o644) -> ExportSummary:
    """Write the ZIP to the local file ``output`` (the command's ``--output``) with file ``mode``,
    atomically: copied into a temporary file next to it, which is renamed at the end."""
    started = time.perf_counter()
    output = Path(output)
    if not output.parent.is_dir():
        raise ExportError([f"Mappen »{output.parent}« findes ikke."])
    with built_archive(export, progress=progress, exported_at=exported_at) as built:
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
        try:
            with os.fdopen(handle, "wb") as temp_file:
                shutil.copyfileobj(built.file, temp_file)
            os.chmod(temp_name, mode)
            os.replace(temp_name, output)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    return ExportSummary(path=output, plans=[c.plan.slug for c in export.contents], documents=built.documents,
                         size=built.size, seconds=time.perf_counter() - started, files=built.files)


def export_lbf(*, output: Path, slugs: Iterable[str] | None = None, as_of: date | None = None,
               user: AbstractBaseUser | AnonymousUser | None = None, progress: Progress | None = None,
               today: date | None = None, mode: int = 0o644) -> ExportSummary:
    """The one export service: check the request (``ExportError`` with Danish messages), then write the ZIP.

    ``slugs`` empty = every plan (the user may see); ``as_of`` = what was approved on or before that date.
    """
    plans, explicit = resolve_plans(slugs=slugs, user=user)
    export = prepare_export(plans=plans, as_of=as_of, explicit=explicit, today=today)
    return write_export(export, output=output, progress=progress, mode=mode)


# --- Background exports (django-tasks) -------------------------------------------------------------------
# ``lbf_export_request`` checks the request at once (the user sees mistakes in the form), records an
# ``LbfExport`` and queues ``run_lbf_export`` (below); the worker (on any machine) calls
# ``lbf_export_run``, which writes progress to the row as it goes, saves the ZIP into the default
# storage and keeps it there for LBF_EXPORT_KEEP_DAYS days.

# A file in the export folder that belongs to no finished export (its worker stopped between saving the
# file and recording it, or its row was deleted) is removed once it is this old.
LEFTOVER_AFTER = timedelta(days=1)


def export_storage() -> Storage:
    """The storage the export files are in (the default storage)."""
    return LbfExport._meta.get_field("file").storage


@transaction.atomic
def lbf_export_request(*, user: AbstractBaseUser, slugs: Iterable[str] | None = None,
                       as_of: date | None = None) -> LbfExport:
    """Check and queue an export for ``user`` (``ExportError`` with Danish messages if it cannot be made)."""
    plans, explicit = resolve_plans(slugs=slugs, user=user)
    prepare_export(plans=plans, as_of=as_of, explicit=explicit)
    _fail_stuck_exports(user)
    export = LbfExport(requested_by=user, plan_slugs=[plan.slug for plan in plans] if explicit else [],
                       as_of=as_of)
    export.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            export.save()
    except IntegrityError:
        raise ExportError(["Du har allerede et udtræk, der er i gang. Vent, til det er færdigt, "
                           "og bestil så det næste."]) from None
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _fail_stuck_exports(user: AbstractBaseUser) -> None:
    """An export that has waited or run for over an hour lost its worker: it no longer blocks a new one."""
    LbfExport.objects.filter(requested_by=user, status__in=LbfExport.UNFINISHED,
                             created_at__lt=timezone.now() - LbfExport.STUCK_AFTER).update(
        status=LbfExport.Status.FAILED, finished_at=timezone.now(),
        error="Udtrækket blev ikke færdigt inden for en time og er opgivet. Bestil det igen.")


def _enqueue(export_id) -> None:
    result = run_lbf_export.enqueue(str(export_id))
    LbfExport.objects.filter(pk=export_id).update(task_id=str(result.id)[:64])


def lbf_export_run(*, export_id: str) -> LbfExport:
    """Build a queued export (the background task's body). A failure is recorded on the row, not raised."""
    try:
        lbf_exports_cleanup()
    except Exception:  # housekeeping: the export itself may still succeed, and the next cleanup retries
        logger.exception("Oprydningen af LBF-udtræk fejlede")
    export = LbfExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status != LbfExport.Status.QUEUED:
        return export
    export.status = LbfExport.Status.RUNNING
    export.started_at = timezone.now()
    export.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int, label: str) -> None:
        LbfExport.objects.filter(pk=export.pk).update(steps_done=done, steps_total=total, current_step=label[:300])

    try:
        plans, explicit = resolve_plans(slugs=export.plan_slugs, user=export.requested_by)
        prepared = prepare_export(plans=plans, as_of=export.as_of, explicit=explicit)
        with built_archive(prepared, progress=progress) as built:
            # Saved whole: on S3 the object appears only when its upload is complete, and with local
            # files the row below is what makes the file downloadable.
            stored_name = export_storage().save(export_file_name(export, ""), File(built.file))
    except ExportError as exc:
        return _fail(export, "\n".join(exc.messages))
    except Exception as exc:  # recorded for the user; the traceback goes to the worker's log
        logger.exception("LBF-udtræk %s fejlede", export.pk)
        return _fail(export, f"Udtrækket kunne ikke laves ({type(exc).__name__}). Prøv igen, eller kontakt "
                             f"administratoren.")
    export.refresh_from_db()
    export.status = LbfExport.Status.DONE
    export.file.name = stored_name
    export.file_size = built.size
    export.steps_done = export.steps_total
    export.current_step = ""
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + timedelta(days=settings.LBF_EXPORT_KEEP_DAYS)
    with transaction.atomic():
        export.save()
        notify(kind=Kind.EXPORT_READY, users=[export.requested_by], event_key=f"export:{export.pk}",
               url=reverse("agreements:lbf_export_status", kwargs={"pk": export.pk}),
               context={"requested_at": format_date(timezone.localdate(export.created_at)), "plan_count": len(plans),
                        "keep_days": settings.LBF_EXPORT_KEEP_DAYS})
    return export


def _fail(export: LbfExport, message: str) -> LbfExport:
    export.refresh_from_db()
    export.status = LbfExport.Status.FAILED
    export.error = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def lbf_exports_cleanup(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their time from the storage (the rows stay, marked »Udløbet«),
    and files left behind by stopped workers; returns how many exports expired."""
    now = now or timezone.now()
    storage = export_storage()
    expired = 0
    for export in LbfExport.objects.filter(status=LbfExport.Status.DONE, expires_at__lte=now):
        # The row first: from then on nobody is sent to the file, which goes next (or, should that
        # fail, with the leftovers of a later run).
        LbfExport.objects.filter(pk=export.pk).update(status=LbfExport.Status.EXPIRED, file="", file_size=0)
        if export.file.name:
            storage.delete(export.file.name)
        expired += 1
    _delete_leftovers(storage, now=now)
    return expired


def _delete_leftovers(storage: Storage, *, now: datetime) -> None:
    """Files in the export folder that no finished export points at, once they are LEFTOVER_AFTER old
    (younger ones may belong to an export whose worker is about to record it)."""
    kept = set(LbfExport.objects.filter(status=LbfExport.Status.DONE).exclude(file="")
               .values_list("file", flat=True))
    delete_unreferenced(settings.LBF_EXPORT_DIR, keep=kept, older_than=now - LEFTOVER_AFTER, storage=storage)


# --- Background tasks (django-tasks; the database backend's worker is ``manage.py db_worker``) -------------

@task()
def run_lbf_export(export_id: str) -> dict:
    """Build a queued LBF-udtræk."""
    export = lbf_export_run(export_id=export_id)
    return {"status": export.status, "file_size": export.file_size}


@task()
def cleanup_lbf_exports() -> int:
    """Delete export files past their time."""
    return lbf_exports_cleanup()
