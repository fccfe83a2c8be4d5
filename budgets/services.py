"""Writes to budgets: replacing a budget's content (import, demo data), editing single lines and a
section's lines in the grid.

Every write is one transaction; changed objects go through ``full_clean()``; history is kept for
every created, changed and deleted line and footnote (``bulk_*_with_history`` for bulk writes).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agreements import revisions
from agreements.models import FocusArea, Plan
from agreements.services import claim_version
from helhedsplan.findings import Finding
from helhedsplan.storage import delete_unreferenced

from . import checks
from .calculations import FINANCING_FIELDS, normalise_amounts
from .content import BudgetChanges, BudgetContent, FootnoteData, LineData, diff, match_lines
from .models import (
    PENDING_UPLOAD_DIR,
    Actual,
    Budget,
    BudgetFootnote,
    BudgetLine,
    ExpenseType,
    PendingBudgetImport,
    budget_touch,
)
from .selectors import budget_content
from .xlsx import BudgetFileError, Problem, ReadResult, read_budget_xlsx

logger = logging.getLogger(__name__)

LINE_FIELDS = ["section", "focus_area", "name", "expense_type", "description", "footnote", "order", "amounts",
               *FINANCING_FIELDS]
IMPORT_REASON = "Indlæst fra budgetark"


@dataclass
class ImportOutcome:
    read: ReadResult
    changes: BudgetChanges
    saved: bool


def budget_get_or_create(*, plan: Plan) -> Budget:
    budget, _ = Budget.objects.get_or_create(plan=plan)
    return budget


def _line_values(line: LineData, *, order: int, types: dict[int, ExpenseType]) -> dict:
    try:
        amounts = normalise_amounts(dict(line.amounts))
    except ValueError as exc:
        raise ValidationError({"amounts": f"»{line.name}«: {exc}"}) from exc
    return {
        "section": line.section,
        "focus_area_id": line.focus_area_id,
        "name": line.name,
        "expense_type": types[line.expense_type_code] if line.expense_type_code is not None else None,
        "description": line.description,
        "footnote": line.footnote,
        "order": order,
        "amounts": amounts,
        **{name: getattr(line, name) for name in FINANCING_FIELDS},
    }


def _clean(obj, exclude: list[str]) -> None:
    # Foreign keys were resolved from the database by the caller, and the database enforces the
    # check constraints; this validates everything else (names, footnotes, amounts, ranges).
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def refuse_removing_lines_with_forbrug(lines: Iterable[BudgetLine | LineData]) -> None:
    """A line with registered forbrug is never deleted with it (the database refuses too): the
    forbrug would be lost. Raises a Danish ``ValidationError`` naming each such line and its years."""
    years: dict[str, list[int]] = {}
    for name, year in (Actual.objects.filter(line__in=[line.pk for line in lines if line.pk])
                       .order_by("line__name", "year").values_list("line__name", "year")):
        years.setdefault(name, []).append(year)
    if years:
        raise ValidationError([
            f"Udgiftsposten »{name}« har registreret forbrug for {', '.join(map(str, spent))} og kan ikke "
            f"slettes. Behold posten (sæt evt. beløbene til 0), eller flyt forbruget til en anden post først."
            for name, spent in years.items()])


@transaction.atomic
def budget_replace(*, plan: Plan, content: BudgetContent, user: AbstractBaseUser | None = None,
                   source_name: str = "", reason: str = IMPORT_REASON) -> BudgetChanges:
    """Make the plan's budget hold exactly ``content`` (creating the budget if needed).

    Lines are matched to the existing ones by section, indsatsområde and name: unchanged lines are not
    touched (so importing the same file twice writes nothing), changed lines are updated (their
    links to staff resources stay), the rest created or deleted — all with history, so the previous
    budget can be read back from it.
    """
    budget, created = Budget.objects.select_for_update().get_or_create(plan=plan)
    old = budget_content(plan)
    changes = diff(old, content)
    if changes.is_empty and not created:
        return changes
    types = {t.code: t for t in ExpenseType.objects.all()}
    areas = set(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("pk", flat=True))
    for line in content.lines:
        if line.focus_area_id is not None and line.focus_area_id not in areas:
            raise ValidationError(f"Udgiftsposten »{line.name}« hører til et indsatsområde uden for puljen.")
        if line.expense_type_code is not None and line.expense_type_code not in types:
            raise ValidationError(f"Ukendt udgiftstype {line.expense_type_code} ved »{line.name}«.")

    order = {id(line): index for index, line in enumerate(content.lines, start=1)}
    pairs, added, removed = match_lines(old.lines, content.lines)
    # Comparing and cleaning a line reads its expense type, indsatsområde and plan: loaded here, not per line.
    existing = {line.pk: line for line in BudgetLine.objects.filter(budget=budget)
                .select_related("expense_type", "focus_area", "budget__plan")}
    exclude = ["budget", "focus_area", "expense_type", "staff_resources"]

    updated = []
    for old_line, new_line in pairs:
        obj = existing[old_line.pk]
        values = _line_values(new_line, order=order[id(new_line)], types=types)
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            _clean(obj, exclude)
            updated.append(obj)
    if updated:
        bulk_update_with_history(updated, BudgetLine, fields=LINE_FIELDS, batch_size=500, default_user=user,
                                 default_change_reason=reason)

    new_objects = []
    for line in added:
        obj = BudgetLine(budget=budget, **_line_values(line, order=order[id(line)], types=types))
        _clean(obj, exclude)
        new_objects.append(obj)
    if new_objects:
        bulk_create_with_history(new_objects, BudgetLine, batch_size=500, default_user=user,
                                 default_change_reason=reason)

    refuse_removing_lines_with_forbrug([existing[line.pk] for line in removed])
    for line in removed:
        obj = existing[line.pk]
        obj._history_user = user
        obj._change_reason = reason
        obj.delete()

    _replace_footnotes(budget, content, user=user, reason=reason)
    if source_name:
        budget.source_name = source_name[:255]
    budget._history_user = user
    budget._change_reason = reason
    budget.save()
    revisions.bump_plan(plan.pk)  # the bulk writes above send no model signals
    return changes


def _replace_footnotes(budget: Budget, content: BudgetContent, *, user, reason: str) -> None:
    existing = {note.number: note for note in BudgetFootnote.objects.filter(budget=budget)}
    wanted = {note.number for note in content.footnotes}
    for number, note in existing.items():
        if number not in wanted:
            note._history_user = user
            note._change_reason = reason
            note.delete()
    created, updated = [], []
    for order, data in enumerate(content.footnotes, start=1):
        note = existing.get(data.number)
        if note is None:
            note = BudgetFootnote(budget=budget, number=data.number, text=data.text, order=order)
            note.full_clean(exclude=["budget"], validate_unique=False, validate_constraints=False)
            created.append(note)
        elif note.text != data.text or note.order != order:
            note.text, note.order = data.text, order
            updated.append(note)
    if updated:
        bulk_update_with_history(updated, BudgetFootnote, fields=["text", "order"], default_user=user,
                                 default_change_reason=reason)
    if created:
        bulk_create_with_history(created, BudgetFootnote, default_user=user, default_change_reason=reason)


@transaction.atomic
def budget_footnotes_replace(*, plan: Plan, footnotes: tuple[FootnoteData, ...],
                             user: AbstractBaseUser | None = None, expected_version: int | None = None) -> None:
    """Make the budget's footnote block exactly ``footnotes`` (in that order); lines are untouched.

    ``expected_version`` is the budget version the editor opened (1 for a plan without a budget); a
    budget changed since refuses the save with ``agreements.services.VersionConflict``.
    """
    budget = budget_get_or_create(plan=plan)
    if expected_version is not None:
        claim_version(budget, expected_version)
    numbers = [note.number for note in footnotes]
    if len(set(numbers)) != len(numbers):
        raise ValidationError("Et fodnotenummer står to gange.")
    _replace_footnotes(budget, BudgetContent(footnotes=footnotes), user=user, reason="Fodnoter rettet")
    revisions.bump_plan(plan.pk)  # bulk writes send no model signals
    budget_touch(budget.pk)


def budget_import_file(*, plan: Plan, data: bytes, file_name: str = "", user: AbstractBaseUser | None = None,
                       dry_run: bool = False) -> ImportOutcome:
    """Read an LBF budgetark and (unless ``dry_run``) make it the plan's budget.

    Raises ``budgets.xlsx.BudgetFileError`` (nothing written) when the file has any problem.
    """
    result = read_budget_xlsx(data, plan=plan, file_name=file_name)
    if dry_run:
        changes = diff(budget_content(plan), result.content)
        try:
            refuse_removing_lines_with_forbrug(changes.removed)
        except ValidationError as exc:  # what saving would refuse, said before anything is saved
            raise BudgetFileError([Problem(message) for message in exc.messages]) from exc
        return ImportOutcome(read=result, changes=changes, saved=False)
    try:
        changes = budget_replace(plan=plan, content=result.content, user=user, source_name=file_name)
    except ValidationError as exc:  # a rule of the lines the reader does not know; nothing is written
        raise BudgetFileError([Problem(message) for message in exc.messages]) from exc
    return ImportOutcome(read=result, changes=changes, saved=not changes.is_empty)


# --- The budget upload: read and checked, shown, then saved or dropped ------------------------------------
# The uploaded file waits in the default storage (any app server may show the preview and take the
# confirmation), under a name of its own, with the digest of its bytes on the row. A row and its file
# go together: files are deleted only once the row's deletion is committed, and a file whose row never
# came to be (or was deleted with its plan or user) is removed by the next upload once it is
# PENDING_LIFETIME old.

PENDING_LIFETIME = timedelta(days=1)
UPLOAD_GONE = ("Det indlæste budgetark findes ikke længere (eller er ændret, siden det blev vist). "
               "Indlæs filen igen.")


def pending_storage() -> Storage:
    """The storage the uploaded budgetark wait in (the default storage)."""
    return PendingBudgetImport._meta.get_field("file").storage


@transaction.atomic
def budget_upload_stage(*, plan: Plan, user: AbstractBaseUser, data: bytes, file_name: str) -> PendingBudgetImport:
    """Keep an uploaded budgetark for its preview: read and checked first (``BudgetFileError``, nothing
    kept), replacing the user's earlier upload for the plan; uploads left for a day are dropped."""
    budget_import_file(plan=plan, data=data, file_name=file_name, dry_run=True)
    now = timezone.now()
    _pending_delete(PendingBudgetImport.objects.filter(Q(created_at__lt=now - PENDING_LIFETIME)
                                                       | Q(plan=plan, user=user)))
    _delete_abandoned_files(now=now)
    pending = PendingBudgetImport(plan=plan, user=user, file_name=file_name[:255],
                                  sha256=hashlib.sha256(data).hexdigest())
    pending.file.save(file_name, ContentFile(data), save=False)
    try:
        pending.save()
    except BaseException:
        pending_storage().delete(pending.file.name)
        raise
    return pending


def budget_upload_data(*, pending: PendingBudgetImport) -> bytes:
    """The bytes that were uploaded, exactly (``BudgetFileError`` if the file is gone or not the same)."""
    try:
        with pending_storage().open(pending.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise BudgetFileError([Problem(UPLOAD_GONE)]) from None
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        logger.warning("Budgetark %s i lageret er ikke det indlæste (SHA-256 passer ikke)", pending.file.name)
        raise BudgetFileError([Problem(UPLOAD_GONE)])
    return data


@transaction.atomic
def budget_upload_confirm(*, pending: PendingBudgetImport, user: AbstractBaseUser) -> ImportOutcome:
    """Make the previewed budgetark the plan's budget (``BudgetFileError`` if it no longer fits)."""
    outcome = budget_import_file(plan=pending.plan, data=budget_upload_data(pending=pending),
                                 file_name=pending.file_name, user=user)
    _pending_delete(PendingBudgetImport.objects.filter(pk=pending.pk))
    return outcome


@transaction.atomic
def budget_upload_cancel(*, pending: PendingBudgetImport) -> None:
    _pending_delete(PendingBudgetImport.objects.filter(pk=pending.pk))


def budget_upload_findings(*, pending: PendingBudgetImport, data: bytes | None = None) -> list[Finding]:
    """The plan's checks as they would read after saving the upload (saved and rolled back); ``data``
    is the upload's bytes when the caller has already read them."""
    if data is None:
        data = budget_upload_data(pending=pending)
    with transaction.atomic():
        budget_import_file(plan=pending.plan, data=data, file_name=pending.file_name)
        findings = checks.plan_findings(pending.plan)
        transaction.set_rollback(True)
    return findings


def _pending_delete(pending: QuerySet[PendingBudgetImport]) -> None:
    """Delete the rows, and their files once that is committed (a rolled-back deletion keeps both)."""
    names = [name for name in pending.values_list("file", flat=True) if name]
    pending.delete()
    if names:
        storage = pending_storage()

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)


def _delete_abandoned_files(*, now: datetime) -> None:
    """Files in PENDING_UPLOAD_DIR without a row, once they are PENDING_LIFETIME old (a younger one may
    belong to an upload whose row is about to be committed)."""
    kept = set(PendingBudgetImport.objects.values_list("file", flat=True))
    delete_unreferenced(PENDING_UPLOAD_DIR, keep=kept, older_than=now - PENDING_LIFETIME, storage=pending_storage())


@transaction.atomic
def budget_line_save(*, line: BudgetLine, user: AbstractBaseUser | None = None,
                     expected_version: int | None = None) -> BudgetLine:
    """Create or update one line (from the budget page's form); validated, with history.

    ``expected_version`` is the budget version the form was opened with; a budget changed since (any
    line, footnote or import) refuses the save with ``agreements.services.VersionConflict``.
    """
    if expected_version is not None:
        claim_version(line.budget, expected_version)
    line.full_clean()
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, user: AbstractBaseUser | None = None) -> None:
    refuse_removing_lines_with_forbrug([line])
    line._history_user = user
    line.delete()


def next_line_order(*, budget: Budget) -> int:
    last = budget.lines.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def budget_section_save(*, plan: Plan, expected_version: int, saved: list[BudgetLine],
                        deleted: list[BudgetLine], user: AbstractBaseUser | None = None) -> Budget:
    """Save the rows of one section's grid: changed and new lines (``saved``, unsaved instances) and
    removed ones, as one change of the budget.

    ``expected_version`` is the budget version the editor loaded (1 for a plan that had no budget);
    a budget changed since — by anyone, any way — refuses the save with
    ``agreements.services.VersionConflict`` and nothing is written.
    """
    budget = Budget.objects.select_for_update().filter(plan=plan).first() or budget_get_or_create(plan=plan)
    claim_version(budget, expected_version)
    refuse_removing_lines_with_forbrug(deleted)
    for line in deleted:
        if line.budget_id != budget.pk:
            raise ValidationError("Udgiftsposten hører ikke til dette budget.")
        line._history_user = user
        line.delete()
    order = next_line_order(budget=budget)
    for line in saved:
        if line.pk is not None and line.budget_id != budget.pk:
            raise ValidationError("Udgiftsposten hører ikke til dette budget.")
        line.budget = budget
        if line.pk is None:
            line.order, order = order, order + 1
        line.full_clean()
        line._history_user = user
        line.save()
    return budget
