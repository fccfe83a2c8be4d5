"""Forms for actuals: one year's forbrug for every budget line, and the upload of an actuals file."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from helhedsplan.formatting import format_number
from helhedsplan.uploads import check_import_file, import_limits

from .actuals import ActualEntry, parse_amount
from .models import ACTUAL_FIELDS, ACTUAL_LABELS, Actual, ActualYear, BudgetLine

SHORT_LABELS = {
    "spent": "Forbrug",
    "bo_cash": "Boligorg. kontant",
    "bo_hours": "Boligorg. timer, lokaler",
    "kom_cash": "Kommune kontant",
    "kom_hours": "Kommune timer, lokaler",
    "other": "Anden",
}


class ActualsYearForm(forms.Form):
    """Forbrug and realised medfinansiering of every line for one year, in t.kr. (``1.234,5``).

    A line whose fields are all empty has no forbrug registered (a registration is removed); a typed
    0 is registered as 0. Typed input is kept when something is wrong.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    closed = forms.BooleanField(label="Regnskabsåret er afsluttet", required=False,
                                help_text="Tallene for et afsluttet regnskabsår kan kun ændres med en note.")
    note = forms.CharField(label="Note", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                           help_text="Kræves, når et afsluttet regnskabsår ændres eller genåbnes. "
                                     "Gemmes i historikken.")

    def __init__(self, *args, groups: list[tuple[str, list[BudgetLine]]], year: int,
                 existing: dict[int, Actual], actual_year: ActualYear | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.groups = groups
        self.lines = [line for _, lines in groups for line in lines]
        self.initial.setdefault("version", actual_year.version if actual_year else 0)
        self.initial.setdefault("closed", bool(actual_year and actual_year.closed))
        for line in self.lines:
            current = existing.get(line.pk)
            for name in ACTUAL_FIELDS:
                self.fields[self.field_name(line, name)] = forms.CharField(
                    label=f"{ACTUAL_LABELS[name]}, {line.name} (t.kr.)", required=False, max_length=30,
                    initial=format_number(getattr(current, name), 1) if current else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "class": "amount"}))

    @staticmethod
    def field_name(line: BudgetLine, name: str) -> str:
        return f"{name}_{line.pk}"

    def clean(self):
        cleaned = super().clean()
        self._entries: list[ActualEntry] = []
        for line in self.lines:
            raw = {name: (cleaned.get(self.field_name(line, name)) or "").strip() for name in ACTUAL_FIELDS}
            if not any(raw.values()):
                self._entries.append(ActualEntry(line=line, year=self.year, values=None))
                continue
            values: dict[str, Decimal] = {}
            for name, text in raw.items():
                try:
                    values[name] = parse_amount(text) or Decimal(0)
                except ValueError as exc:
                    self.add_error(self.field_name(line, name), str(exc))
            if len(values) == len(ACTUAL_FIELDS):
                self._entries.append(ActualEntry(line=line, year=self.year, values=values))
        return cleaned

    def entries(self) -> list[ActualEntry]:
        return self._entries

    def rows(self) -> list[dict]:
        """For the template: per section its lines, each with its six bound fields."""
        return [{"heading": heading,
                 "lines": [{"line": line, "fields": [self[self.field_name(line, name)] for name in ACTUAL_FIELDS]}
                           for line in lines]}
                for heading, lines in self.groups if lines]


class ActualsUploadForm(forms.Form):
    file = forms.FileField(label="Fil med forbrug (.xlsx eller .csv)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    note = forms.CharField(label="Note", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                           help_text="Kræves, hvis filen ændrer tal i et afsluttet regnskabsår. Gemmes i historikken.")
    dry_run = forms.BooleanField(label="Kontrollér kun filen (gem intet)", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Not .xlsx/.csv, or over the budget import's limits: refused before anything reads the file.
        check_import_file(upload, name=upload.name, limits=import_limits("budgetark"))
        return upload
