"""Shared import behaviour: every import is all-or-nothing, and every file is bounded before it is read.

The admin's django-import-export imports go through ``BoundedImportExportModelAdmin``: its import form
checks the uploaded file with ``helhedsplan.uploads.check_import_file`` before django-import-export
reads it, and it only offers csv and xlsx, read by ``helhedsplan.spreadsheets.read_table`` (which checks
again, for the confirmation step that reads the stored copy, and reads an .xlsx from its real rows and
cells, never from the range the sheet declares). Its csv, tsv and xlsx exports neutralise every cell
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.shortcuts import redirect
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, HTML, JSON, TSV, XLSX
from import_export.forms import ImportForm
from import_export.results import Error, Result, RowResult
from import_export.widgets import ForeignKeyWidget, IntegerWidget, ManyToManyWidget, Widget

from .formatting import format_number
from .spreadsheets import MAX_LISTED_PROBLEMS, dataset_csv, dataset_xlsx, read_table
from .uploads import ImportRefused, check_import_file, import_limits
from .validators import no_control_characters

THOUSANDS_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d*)?$")


class WholeNumberWidget(IntegerWidget):
    """A whole number (written as a number, not localised text). A decimal is refused, never rounded:
    »45,5« or 45.5 where a whole number is required is an error; »1.234« (Danish thousands) is 1234."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"»{value}« er ikke et helt tal.")
        if isinstance(value, int):
            return value
        if isinstance(value, float | Decimal):
            number = Decimal(str(value))
        else:
            text = str(value).strip().replace("\u00a0", "").replace(" ", "")
            if THOUSANDS_RE.match(text):
                text = text.replace(".", "")
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                raise ValueError(f"»{value}« er ikke et tal. Skriv et helt tal.") from None
        if not number.is_finite() or abs(number) >= 10**15:
            raise ValueError(f"»{value}« er ikke et tal, der kan gemmes.")
        if number != number.to_integral_value():
            raise ValueError(f"»{format_number(number)}« er ikke et helt tal. Skriv et helt tal uden decimaler.")
        return int(number)


class NamedForeignKeyWidget(ForeignKeyWidget):
    """``ForeignKeyWidget`` whose unknown or ambiguous value is refused in Danish, naming the value."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"Ukendt {self.model._meta.verbose_name} »{value}«.") from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(f"Flere end én {self.model._meta.verbose_name} passer til »{value}«.") from None
        except (ValueError, TypeError, ValidationError):
            raise ValueError(f"»{value}« er ikke en gyldig {self.model._meta.verbose_name}.") from None


class NamedManyToManyWidget(ManyToManyWidget):
    """``ManyToManyWidget`` that refuses a name it cannot find instead of leaving it out silently."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row=row, **kwargs)
        if not value or isinstance(value, float | int):
            return found
        wanted = {name.strip() for name in str(value).split(self.separator) if name.strip()}
        known = {str(name) for name in found.values_list(self.field, flat=True)}
        missing = sorted(wanted - known)
        if missing:
            names = ", ".join(f"»{name}«" for name in missing)
            raise ValueError(f"Ukendt {self.model._meta.verbose_name}: {names}.")
        return found


class AllOrNothingResource(resources.ModelResource):
    """A resource whose import writes nothing when any row is invalid or fails, and whose whole-number
    columns never round (``WholeNumberWidget``, also for columns declared without a widget)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failing_rows = self._unchecked_rows = 0
        model = self._meta.model
        for field in self.fields.values():
            if type(field.widget) is not Widget or not field.attribute:
                continue
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, models.IntegerField) and not model_field.choices:
                field.widget = WholeNumberWidget()

    def before_import_row(self, row, **kwargs) -> None:
        """Texts are checked before the row's object is looked up: PostgreSQL refuses a NUL even in
        the lookup's query, in English, before the model's own validation would name the field."""
        errors = {}
        for field in self.get_import_fields():
            try:
                no_control_characters(row.get(field.column_name))
            except ValidationError as error:
                errors[field.attribute or field.column_name] = error.messages
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)

    def import_row(self, row, instance_loader, **kwargs) -> RowResult:
        """Rows after the first ``MAX_LISTED_PROBLEMS`` failing ones are not checked: nothing will be
        written anyway, the page lists no more than these, and a file of thousands of bad rows is
        refused as fast as one of fifty."""
        if self._failing_rows >= MAX_LISTED_PROBLEMS:
            self._unchecked_rows += 1
            skipped = self.get_row_result_class()()
            skipped.import_type = RowResult.IMPORT_TYPE_SKIP
            return skipped
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.errors or row_result.validation_error:
            self._failing_rows += 1
        return row_result

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        self._failing_rows = self._unchecked_rows = 0
        result = super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors, **kwargs,
        )
        result = cap_listed_rows(result)
        if self._unchecked_rows:
            result.base_errors.append(Error(MoreFailingRows(self._unchecked_rows, checked=False)))
        return result


class MoreFailingRows(Exception):
    """Stands last among an import result's errors for the failing rows that are not listed, or (with
    ``checked=False``) for the rows not checked after the import stopped at too many failing ones."""

    def __init__(self, count: int, *, checked: bool = True) -> None:
        self.count = count
        rows = "række" if count == 1 else "rækker"
        super().__init__(
            f"… og {format_number(count)} flere rækker med fejl." if checked else
            f"… og {format_number(count)} {rows} mere, som ikke er kontrolleret: importen stopper efter "
            f"{MAX_LISTED_PROBLEMS} rækker med fejl. Ret dem, og indlæs filen igen.")


def cap_listed_rows(result: Result, limit: int = MAX_LISTED_PROBLEMS) -> Result:
    """Keep the first ``limit`` failing rows of an import result for its page and say how many more
    there were (»… og N flere rækker med fejl.«): a file of 10.000 bad rows gives a short page. The
    result stays failed, so nothing is written either way."""
    failing = len(result.invalid_rows) + len(result.row_errors())
    if failing <= limit:
        return result
    result.invalid_rows = result.invalid_rows[:limit]
    room = limit - len(result.invalid_rows)
    for row in result.rows:
        if row.errors:
            if room > 0:
                room -= 1
            else:
                row.errors = []
    result.base_errors.append(Error(MoreFailingRows(failing - limit)))
    return result


class BoundedCSV(CSV):
    """CSV read through the bounded reader (separator found from the header, Danish refusals) and
    written with every cell neutralised (``helhedsplan.spreadsheets.neutralise_cell``)."""

    file_format = "csv"

    def is_binary(self):
        return True  # the bytes reach the reader, which tells a wrong encoding in Danish

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_table(in_stream, file_format="csv")

    def export_data(self, dataset, **kwargs):
        return dataset_csv(dataset)


class BoundedTSV(TSV):
    """TSV for export only, every cell neutralised."""

    file_format = "tsv"

    def can_import(self):
        return False

    def export_data(self, dataset, **kwargs):
        return dataset_csv(dataset, delimiter="\t")


class BoundedXLSX(XLSX):
    """XLSX read through the bounded reader (its real rows and cells, never the declared range), and
    written with text as text (``helhedsplan.spreadsheets.write_xlsx_cell``): numbers stay numbers."""

    file_format = "xlsx"

    def create_dataset(self, in_stream):
        return read_table(in_stream, file_format="xlsx")

    def export_data(self, dataset, **kwargs):
        return dataset_xlsx(dataset)


class BoundedImportForm(ImportForm):
    """The admin's import form: the file is checked against the import limits when the form is
    validated, so a refused file is never stored nor read, and the refusal shows at the file field."""

    def __init__(self, formats, resources, **kwargs):
        self.import_formats = list(formats)
        super().__init__(formats, resources, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        choice = cleaned_data.get("format")
        if upload is not None and choice not in (None, ""):
            file_format = getattr(self.import_formats[int(choice)], "file_format", None)
            try:
                check_import_file(upload, name=upload.name, file_format=file_format, limits=import_limits())
            except ImportRefused as exc:
                self.add_error("import_file", exc)
        return cleaned_data


class BoundedImportExportModelAdmin(ImportExportModelAdmin):
    """``ImportExportModelAdmin`` whose imports are bounded (csv and xlsx only; see the module)."""

    import_form_class = BoundedImportForm

    def get_import_formats(self):
        return [BoundedCSV, BoundedXLSX]

    def get_export_formats(self):
        return [BoundedCSV, BoundedXLSX, BoundedTSV, JSON, HTML]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", e.message)
        else:
            form.add_error("import_file", "Filen kunne ikke læses. Kontrollér, at det valgte format passer til filen.")

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ImportRefused as exc:  # the stored copy is checked again before it is read
            messages.error(request, exc.message)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
