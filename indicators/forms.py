"""Forms: the annual follow-up in one sitting, and the value file upload."""

from __future__ import annotations

from django import forms

from helhedsplan.formatting import format_number
from helhedsplan.uploads import check_import_file, import_limits

from .models import Indicator, IndicatorValue
from .numbers import parse_number
from .services import ValueEntry


class FollowUpForm(forms.Form):
    """One value and note per indicator for one year. Typed input is kept when something is wrong."""

    def __init__(self, *args, groups: list[tuple[object, list[Indicator]]], year: int,
                 existing: dict[int, IndicatorValue], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.groups = groups
        self.indicators = [indicator for _, indicators in groups for indicator in indicators]
        for indicator in self.indicators:
            current = existing.get(indicator.pk)
            self.fields[self.value_name(indicator)] = forms.CharField(
                label=indicator.text, required=False, max_length=300,
                initial=self.initial_text(current),
                widget=forms.TextInput(attrs={"inputmode": "decimal" if indicator.is_numeric else "text",
                                              "size": 10}),
            )
            self.fields[self.note_name(indicator)] = forms.CharField(
                label=f"Note til »{indicator.text}«", required=False,
                initial=current.note if current else "",
                widget=forms.TextInput(attrs={"size": 30}),
            )

    @staticmethod
    def initial_text(current: IndicatorValue | None) -> str:
        if current is None:
            return ""
        return format_number(current.value) if current.value is not None else current.value_text

    @staticmethod
    def value_name(indicator: Indicator) -> str:
        return f"value_{indicator.pk}"

    @staticmethod
    def note_name(indicator: Indicator) -> str:
        return f"note_{indicator.pk}"

    def clean(self):
        cleaned = super().clean()
        self._entries: list[ValueEntry] = []
        for indicator in self.indicators:
            raw = (cleaned.get(self.value_name(indicator)) or "").strip()
            note = (cleaned.get(self.note_name(indicator)) or "").strip()
            value, value_text = None, ""
            if raw:
                try:
                    value = parse_number(raw)
                except ValueError:
                    if indicator.is_numeric:
                        self.add_error(self.value_name(indicator),
                                       f"»{raw}« er ikke et tal (enheden er »{indicator.get_unit_display()}«).")
                        continue
                    value_text = raw
            elif note:
                self.add_error(self.value_name(indicator), "Angiv en værdi til noten – eller slet noten.")
                continue
            self._entries.append(ValueEntry(indicator=indicator, value=value, value_text=value_text, note=note))
        return cleaned

    def entries(self) -> list[ValueEntry]:
        return self._entries

    def rows(self) -> list[dict]:
        """Grouped bound fields for the template: [{"group": …, "items": [(indicator, value, note)]}]."""
        return [
            {"group": group,
             "items": [(indicator, self[self.value_name(indicator)], self[self.note_name(indicator)])
                       for indicator in indicators]}
            for group, indicators in self.groups if indicators
        ]


class ValueFileForm(forms.Form):
    file = forms.FileField(label="Fil (.xlsx eller .csv)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Not .xlsx/.csv, or over a limit (bytes, unpacked size, rows, cells): refused before it is read.
        check_import_file(upload, name=upload.name, limits=import_limits())
        return upload
