"""Forms for the LBF-udtræk, the milepælsplan, the beredskabsplan and the public page."""

from __future__ import annotations

from django import forms

from .models import FocusArea, Milestone, Plan


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "focus_area", "due_date", "status", "done_date", "note"]
        widgets = {"due_date": DateInput(), "done_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan_focus_areas__plan=plan) \
            .order_by("plan_focus_areas__order", "order")
        self.fields["focus_area"].empty_label = "Hele helhedsplanen"


class BeredskabsplanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["beredskabsplan"]
        widgets = {"beredskabsplan": forms.Textarea(attrs={"rows": 18})}


class PublicPageForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["public_page_enabled", "public_intro"]
        widgets = {"public_intro": forms.Textarea(attrs={"rows": 5})}
