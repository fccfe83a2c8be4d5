"""Forms for a budget line (one amount field per plan year) and for uploading a budgetark."""

from __future__ import annotations

from django import forms

from agreements.models import FocusArea, Plan, StaffResource
from helhedsplan.uploads import check_import_file, import_limits

from .calculations import FINANCING_FIELDS
from .content import CROSS_CUTTING, FOCUS_AREA, LOCAL_EVALUATION, SECTION_TITLES, FootnoteData
from .models import BudgetLine
from .xlsx import FOOTNOTE_ROW_RE

AMOUNT_PREFIX = "amount_"


class BudgetLineForm(forms.ModelForm):
    """An udgiftspost with its section as one choice and one whole-thousands field per year.

    Build it with ``budget_line_form_class(plan)``: the year fields are the plan's years plus any
    year the line already has an amount in (so an amount outside the period can be seen and removed).
    """

    placement = forms.ChoiceField(label="Afsnit")

    plan: Plan
    years: list[int]

    class Meta:
        model = BudgetLine
        fields = ["name", "expense_type", "description", "footnote", *FINANCING_FIELDS, "staff_resources"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 40}),
            "description": forms.TextInput(attrs={"size": 30}),
            "footnote": forms.TextInput(attrs={"size": 6}),
            "staff_resources": forms.SelectMultiple(attrs={"size": 8}),
            **{name: forms.NumberInput(attrs={"min": 0, "step": 1, "class": "amount"}) for name in FINANCING_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.plan
        areas = list(FocusArea.objects.filter(plan_focus_areas__plan=plan).order_by("order"))
        if self.instance.focus_area_id and self.instance.focus_area not in areas:
            areas.append(self.instance.focus_area)
        self.fields["placement"].choices = [
            (CROSS_CUTTING, SECTION_TITLES[CROSS_CUTTING]),
            *[(f"{FOCUS_AREA}:{area.pk}", f"{area.order}. {area.name}") for area in areas],
            (LOCAL_EVALUATION, SECTION_TITLES[LOCAL_EVALUATION]),
        ]
        if self.instance.section:
            self.initial["placement"] = (f"{FOCUS_AREA}:{self.instance.focus_area_id}"
                                         if self.instance.section == FOCUS_AREA else self.instance.section)
        if "staff_resources" in self.fields:
            self.fields["staff_resources"].queryset = (
                StaffResource.objects.filter(sub_agreement__plan=plan)
                .select_related("sub_agreement__focus_area").order_by("sub_agreement__order", "order"))
            self.fields["staff_resources"].label_from_instance = (
                lambda resource: f"{resource.sub_agreement.focus_area}: {resource}")
        for year in self.years:
            self.fields[f"{AMOUNT_PREFIX}{year}"].initial = self.instance.amount(year) or None
        order = ["placement", "name", "expense_type", "description", "footnote",
                 *[f"{AMOUNT_PREFIX}{year}" for year in self.years], *FINANCING_FIELDS]
        self.order_fields(order)

    @property
    def amount_fields(self) -> list:
        return [self[f"{AMOUNT_PREFIX}{year}"] for year in self.years]

    @property
    def financing_fields(self) -> list:
        return [self[name] for name in FINANCING_FIELDS]

    # Model errors about fields this form shows under another name.
    ERROR_FIELDS = {"section": "placement", "focus_area": "placement", "amounts": None}

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            remapped: dict = {}
            for field, messages in errors.error_dict.items():
                target = self.ERROR_FIELDS.get(field, field)
                if target is not None and target not in self.fields:
                    target = None
                remapped.setdefault(target or "__all__", []).extend(messages)
            errors = forms.ValidationError(remapped)
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        placement = cleaned.get("placement") or ""
        section, _, area_id = placement.partition(":")
        self.instance.section = section
        self.instance.focus_area_id = int(area_id) if area_id else None
        if section != CROSS_CUTTING:
            cleaned["expense_type"] = None
        self.instance.amounts = {
            str(year): cleaned.get(f"{AMOUNT_PREFIX}{year}") or 0 for year in self.years
        }
        return cleaned


def budget_line_form_class(plan: Plan, *, years: list[int] | None = None,
                           with_staff: bool = True) -> type[BudgetLineForm]:
    """A ``BudgetLineForm`` subclass for ``plan`` with one amount field per year."""
    years = sorted(set(plan.years) | set(years or []))
    attrs = {
        f"{AMOUNT_PREFIX}{year}": forms.IntegerField(
            label=str(year), min_value=0, required=False,
            widget=forms.NumberInput(attrs={"min": 0, "step": 1, "class": "amount"}))
        for year in years
    }
    attrs.update({"plan": plan, "years": years, "__module__": __name__})
    if not with_staff:
        attrs["Meta"] = type("Meta", (BudgetLineForm.Meta,), {
            "fields": [name for name in BudgetLineForm.Meta.fields if name != "staff_resources"]})
    return type("PlanBudgetLineForm", (BudgetLineForm,), attrs)


def years_of(line: BudgetLine | None) -> list[int]:
    return sorted(int(year) for year in (line.amounts if line else {}))


class BudgetUploadForm(forms.Form):
    file = forms.FileField(label="Budgetark (.xlsx)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-"
                                                                            "officedocument.spreadsheetml.sheet"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Over a limit (bytes, unpacked size, rows, cells): refused before anything reads the file.
        check_import_file(upload, name=upload.name, file_format="xlsx", limits=import_limits("budgetark"))
        return upload


def footnotes_as_text(footnotes) -> str:
    return "\n".join(f"{note.number}) {note.text}".rstrip() for note in footnotes)


class BudgetFootnotesForm(forms.Form):
    """The numbered footnote block as the sheet writes it: »12) text«, one footnote per marker."""

    text = forms.CharField(
        label="Fodnoter", required=False, widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text="Én fodnote pr. nummer: »12) Medarbejderens tid fordeles …«. Linjer uden nummer hører til "
                  "fodnoten over dem.")

    def clean_text(self) -> tuple[FootnoteData, ...]:
        notes: dict[str, list[str]] = {}
        current = None
        for number, line in enumerate(self.cleaned_data["text"].splitlines(), start=1):
            match = FOOTNOTE_ROW_RE.match(line)
            if match:
                current = match.group(1).lower()
                if current in notes:
                    raise forms.ValidationError(f"Linje {number}: fodnote {current}) står to gange.")
                notes[current] = [match.group(2).rstrip()]
            elif current is not None:
                notes[current].append(line.rstrip())
            elif line.strip():
                raise forms.ValidationError(f"Linje {number}: en fodnote begynder med sit nummer, f.eks. »12) …«.")
        return tuple(FootnoteData(number, "\n".join(lines).strip()) for number, lines in notes.items())
