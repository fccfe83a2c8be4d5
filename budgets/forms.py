"""Forms for a budget line (one amount field per plan year), the section grid and uploading a budgetark."""

from __future__ import annotations

import copy
import re

from django import forms

from agreements.models import FocusArea, Plan, StaffResource
from helhedsplan.formatting import format_number
from helhedsplan.uploads import check_import_file, import_limits

from .calculations import FINANCING_FIELDS, FINANCING_LABELS
from .content import CROSS_CUTTING, FOCUS_AREA, LOCAL_EVALUATION, SECTION_TITLES, FootnoteData
from .models import BudgetLine, ExpenseType
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


# --- The section grid: every line of one section, edited in place -----------------------------------------

DANISH_AMOUNT_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)$")
AMOUNT_ERROR = "Skriv et helt antal tusinde kroner, f.eks. 1.234."


def parse_danish_amount(text: str) -> int:
    """``"1.234"`` or ``"1234"`` → 1234; empty → 0. Raises ``ValueError`` (Danish message) otherwise."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return 0
    if text.startswith("-"):
        raise ValueError("Beløbet må ikke være negativt.")
    if not DANISH_AMOUNT_RE.match(text):
        raise ValueError(AMOUNT_ERROR)
    return int(text.replace(".", ""))


class DanishAmountField(forms.Field):
    """Whole thousands of kroner typed the Danish way (``1.234``); shown the same way, empty for 0."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "amount",
                                    "size": 6})

    def to_python(self, value) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_danish_amount(str(value or ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_number(value) if value else ""
        return value


class BudgetGridLineForm(forms.ModelForm):
    """One row of the section grid: text fields, one amount per year and the six financing columns.

    Built by ``budget_grid_formset_class``; the row's section and indsatsområde are the grid's.
    """

    section: str
    focus_area: FocusArea | None
    years: list[int]
    expense_type_choices: list[tuple] = []

    class Meta:
        model = BudgetLine
        fields = ["name", "expense_type", "description", "footnote", *FINANCING_FIELDS]
        widgets = {
            "name": forms.TextInput(attrs={"size": 28}),
            "description": forms.TextInput(attrs={"size": 18}),
            "footnote": forms.TextInput(attrs={"size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.section == CROSS_CUTTING:
            del self.fields["description"]
            # Read once for the whole grid, not once per row.
            self.fields["expense_type"].choices = self.expense_type_choices
        else:
            del self.fields["expense_type"]
        for name in FINANCING_FIELDS:
            self.fields[name] = DanishAmountField(label=FINANCING_LABELS[name], required=False,
                                                  initial=getattr(self.instance, name) or 0)
        for year in self.years:
            self.fields[f"{AMOUNT_PREFIX}{year}"] = DanishAmountField(
                label=str(year), required=False, initial=self.instance.amount(year) if self.instance.pk else 0)
        for name, field in self.fields.items():
            # Each cell's error stands beside it (``budgets/_grid_cell.html``); the script fills it as one types.
            field.widget = copy.copy(field.widget)
            error_id = f"{self.auto_id % self.add_prefix(name)}-fejl"
            field.widget.attrs = {**field.widget.attrs, "aria-describedby": error_id}

    @property
    def amount_fields(self) -> list:
        return [self[f"{AMOUNT_PREFIX}{year}"] for year in self.years]

    @property
    def financing_fields(self) -> list:
        return [self[name] for name in FINANCING_FIELDS]

    @property
    def text_fields(self) -> list:
        return [self[name] for name in ("name", "expense_type", "description", "footnote") if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        self.instance.section = self.section
        self.instance.focus_area = self.focus_area
        kept = {year: amount for year, amount in self.instance.amounts.items() if int(year) not in self.years}
        self.instance.amounts = {**kept, **{str(year): cleaned.get(f"{AMOUNT_PREFIX}{year}") or 0
                                            for year in self.years}}
        for name in FINANCING_FIELDS:
            cleaned[name] = cleaned.get(name) or 0
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The model reports amount problems under "amounts"; the grid shows them beside the first year.
        if "amounts" in self.errors:
            self.add_error(None, self.errors.pop("amounts"))


class BudgetGridFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Fjern"


def budget_grid_formset_class(plan: Plan, *, section: str, focus_area: FocusArea | None,
                              years: list[int]) -> type[BudgetGridFormSet]:
    """A formset of the section's lines (plus one empty row) with one amount field per year."""
    choices = [("", "(Vælg udgiftstype)"), *[(expense_type.pk, expense_type.label)
                                           for expense_type in ExpenseType.objects.all()]] \
        if section == CROSS_CUTTING else []
    form = type("PlanBudgetGridLineForm", (BudgetGridLineForm,), {
        "section": section, "focus_area": focus_area, "years": years, "expense_type_choices": choices,
        "__module__": __name__})
    return forms.modelformset_factory(BudgetLine, form=form, formset=BudgetGridFormSet, extra=1, can_delete=True)
