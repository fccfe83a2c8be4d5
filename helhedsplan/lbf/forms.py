"""Forms for the LBF-udtræk, the milepælsplan, the beredskabsplan and the public page."""

from __future__ import annotations

from django import forms

from agreements.forms import DateInput
from agreements.models import Plan


class ExportForm(forms.Form):
    as_of = forms.DateField(label="Gældende pr. (valgfri)", required=False, widget=DateInput(),
                            help_text="Tom: de seneste godkendte versioner. En dato: det, der var godkendt "
                                      "og gældende på datoen.")


class OverviewExportForm(ExportForm):
    plans = forms.MultipleChoiceField(label="Helhedsplaner", required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="Ingen valgt: alle helhedsplaner.")

    def __init__(self, *args, plans: list[Plan], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].choices = [(plan.slug, plan.name) for plan in plans]
