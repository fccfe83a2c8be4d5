"""Shared import behaviour: every import is all-or-nothing, and every file is bounded before it is read.

The admin's django-import-export imports go through ``BoundedImportExportModelAdmin``: its import form
checks the uploaded file with ``helhedsplan.uploads.check_import_file`` before django-import-export
reads it, and it only offers csv and xlsx, read by ``helhedsplan.spreadsheets.read_table`` (which checks
again, for the confirmation step that reads the stored copy, and reads an .xlsx from its real rows and
cells, never from the range the sheet declares). Its csv, tsv and xlsx exports neutralise every cell
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, HTML, JSON, TSV, XLSX
from import_export.forms import ImportForm

from .spreadsheets import dataset_csv, dataset_xlsx, read_table
from .uploads import ImportRefused, check_import_file, import_limits


class AllOrNothingResource(resources.ModelResource):
    """A resource whose import writes nothing when any row is invalid or fails."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors, **kwargs,
        )


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
