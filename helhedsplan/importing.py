"""Shared import behaviour: every import is all-or-nothing, and every file is bounded before it is read.

The admin's django-import-export imports go through ``BoundedImportExportModelAdmin``: its import form
checks the uploaded file with ``helhedsplan.uploads.check_import_file`` before django-import-export
reads it, and it only offers csv and xlsx, whose readers here check again (for the confirmation step,
which reads the stored copy) and read an .xlsx from its real rows and cells, never from the range
the sheet declares.
"""

from __future__ import annotations

import io

import tablib
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from .uploads import READ_COLUMNS, ImportRefused, check_import_file, import_limits


class AllOrNothingResource(resources.ModelResource):
    """A resource whose import writes nothing when any row is invalid or fails."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors, **kwargs,
        )


def read_xlsx_dataset(data: bytes) -> tablib.Dataset:
    """The active sheet of an .xlsx as a dataset (first row = headers), like django-import-export's
    reader but from the cells actually present: a sheet declaring A1:XFD1048576 with three rows costs
    three rows, and no row is wider than its header (at most ``READ_COLUMNS`` columns).

    Check the file with ``check_import_file`` first; this bounds the width, the guard the rest.
    """
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        sheet.reset_dimensions()  # ignore the declared range; read the rows and cells present
        rows = sheet.iter_rows(max_col=READ_COLUMNS, values_only=True)
        headers = list(next(rows, ()))
        while headers and headers[-1] is None:
            headers.pop()
        width = len(headers)
        dataset = tablib.Dataset(headers=headers)
        skip_blank = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            if skip_blank and all(value is None for value in values):
                continue
            dataset.append(values)
        return dataset
    finally:
        book.close()


class BoundedCSV(CSV):
    """CSV that is checked against the import limits before tablib reads it."""

    file_format = "csv"

    def create_dataset(self, in_stream, **kwargs):
        check_import_file(in_stream, file_format="csv", limits=import_limits())
        return super().create_dataset(in_stream, **kwargs)


class BoundedXLSX(XLSX):
    """XLSX that is checked against the import limits, then read from its real rows and cells."""

    file_format = "xlsx"

    def create_dataset(self, in_stream):
        check_import_file(in_stream, file_format="xlsx", limits=import_limits())
        return read_xlsx_dataset(in_stream)


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

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ImportRefused as exc:  # the stored copy is checked again before it is read
            messages.error(request, exc.message)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
