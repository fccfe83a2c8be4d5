"""Forms of the workspace. They validate input; the writes happen in ``services`` and ``workflow``."""

from __future__ import annotations

import re

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory, modelformset_factory

from helhedsplan.uploads import ImportRefused, attachment_limits_text, check_attachment_size
from helhedsplan.validators import no_control_characters

from .models import (
    Activity,
    AgreementParty,
    Attachment,
    Clause,
    Contact,
    FocusArea,
    HousingArea,
    HousingDepartment,
    Milestone,
    Organisation,
    Plan,
    PlanFocusArea,
    Pulje,
    StaffResource,
    StrategicAgreement,
    SubAgreement,
    SubAgreementParty,
)
from .services import ChildChanges, DepartmentInput, HousingAreaInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _textarea(rows: int = 5, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


LAST = 32000  # a row without a number goes last; rows are renumbered 1, 2, 3 … on save


def blank_order_last(value: int | None) -> int:
    return LAST if value is None else value


ORDER_WIDGET = forms.NumberInput(attrs={"class": "order-input", "min": 0, "aria-label": "Rækkefølge"})


class VersionedForm(forms.ModelForm):
    """Carries the document version the editor was opened with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    #: Fields only a contract prints (``Plan.document_kind``); left out of the form for other plans.
    contract_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        if not self.instance.plan.is_contract:
            for name in self.contract_fields:
                del self.fields[name]

    @property
    def document_fields(self) -> list[str]:
        """The document's fields in this form (without the version)."""
        return [name for name in self.fields if name != "version"]


class SubAgreementForm(VersionedForm):
    contract_fields = ("economic_frame_amount", "economic_frame")

    class Meta:
        model = SubAgreement
        fields = ["initiative_name", "start_date", "end_date", "municipal_coherence", "conflict_handling",
                  "revision", "economic_frame_amount", "economic_frame"]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "municipal_coherence": _textarea(8), "conflict_handling": _textarea(6), "revision": _textarea(5),
            "economic_frame": _textarea(5),
        }
        help_texts = {
            "initiative_name": "Helhedsplanens navn bruges, hvis feltet er tomt.",
            "conflict_handling": "Valgfri klausul.",
        }


class OrderedFormSetMixin:
    """Inline formsets with an ``order`` field: rows are saved in the order of their numbers."""

    def child_changes(self) -> ChildChanges:
        """New/changed rows renumbered 1, 2, 3 … in the order the user gave, and rows to delete."""
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk]
        kept = [form for form in self.forms
                if form not in self.deleted_forms and (form.instance.pk or form.has_changed())]
        kept.sort(key=lambda form: (blank_order_last(form.cleaned_data.get("order")), self.forms.index(form)))
        saved, contacts = [], []
        for position, form in enumerate(kept, start=1):
            form.instance.order = position
            if form.instance.pk is None or form.has_changed() or form.initial.get("order") != position:
                # A party's contact persons are ordered and go through ``contacts`` below; other links
                # (a staff resource's contacts) are set as they are once the row is saved.
                links = {name: list(form.cleaned_data.get(name) or []) for name, field in form.fields.items()
                         if isinstance(field, forms.ModelMultipleChoiceField)
                         and not (name == "contacts" and hasattr(form.instance, "contact_links"))}
                if links:
                    form.instance._pending_links = links
                saved.append(form.instance)
            if ("contacts" in form.fields and hasattr(form.instance, "contact_links")
                    and (form.instance.pk is None or "contacts" in form.changed_data)):
                contacts.append((form.instance, list(form.cleaned_data.get("contacts") or [])))
        return ChildChanges(saved=saved, deleted=deleted, contacts=contacts)


class SharedChoicesMixin:
    """Evaluate each select's choices once per formset instead of once per row (no N+1 queries)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and not field.widget.is_hidden:
                if name not in shared:
                    shared[name] = list(field.choices)
                field.choices = shared[name]
        return form


class OrderedInlineFormSet(SharedChoicesMixin, OrderedFormSetMixin, BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "order" in form.fields:
            form.fields["order"].required = False
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Fjern"


class PartyContactsForm(forms.ModelForm):
    """A party row with its contact persons, chosen among the contact persons of its organisation.

    The choice goes to ``services.party_contacts_set`` through the formset's ``child_changes``."""

    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(), required=False, label="Kontaktpersoner",
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text="Kontaktpersoner i partens organisation. Hold Ctrl (Cmd på Mac) nede for at vælge flere.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.select_related("organisation")
        if self.instance.pk:
            self.initial["contacts"] = [link.contact_id for link in self.instance.contact_links.all()]

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is not None:
            strangers = [c.name for c in cleaned.get("contacts") or [] if c.organisation_id != organisation.pk]
            if strangers:
                self.add_error("contacts", f"Hører ikke til {organisation}: {', '.join(strangers)}.")
        return cleaned

    def clean_order(self):
        return blank_order_last(self.cleaned_data.get("order"))


class PartyForm(PartyContactsForm):
    class Meta:
        model = SubAgreementParty
        fields = ["organisation", "role", "order"]
        widgets = {"order": ORDER_WIDGET, "role": forms.TextInput(attrs={"placeholder": "F.eks. Primær aktør"})}


class ActivityInlineForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["name", "short_description", "purpose", "target_group", "content", "anchoring",
                  "responsibilities", "locations", "municipal_cofinancing", "revision", "order"]
        widgets = {
            "order": ORDER_WIDGET, "purpose": _textarea(3), "target_group": _textarea(2), "content": _textarea(6),
            "anchoring": _textarea(3), "responsibilities": _textarea(3), "locations": _textarea(2),
            "revision": _textarea(2),
        }

    def clean_order(self):
        return blank_order_last(self.cleaned_data.get("order"))


class StaffResourceForm(forms.ModelForm):
    class Meta:
        model = StaffResource
        fields = ["function", "percent", "hours_per_week", "financed_by", "financed_by_plan", "note", "contacts",
                  "order"]
        widgets = {"order": ORDER_WIDGET, "note": _textarea(2), "contacts": forms.SelectMultiple(attrs={"size": 4})}
        help_texts = {"contacts": "Hold Ctrl (Cmd på Mac) nede for at vælge flere."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.select_related("organisation")

    def clean_order(self):
        return blank_order_last(self.cleaned_data.get("order"))


PartyFormSet = inlineformset_factory(SubAgreement, SubAgreementParty, form=PartyForm, formset=OrderedInlineFormSet,
                                     extra=0, can_delete=True)
ActivityFormSet = inlineformset_factory(SubAgreement, Activity, form=ActivityInlineForm,
                                        formset=OrderedInlineFormSet, extra=0, can_delete=True)
StaffResourceFormSet = inlineformset_factory(SubAgreement, StaffResource, form=StaffResourceForm,
                                             formset=OrderedInlineFormSet, extra=0, can_delete=True)


class ActivityForm(forms.ModelForm):
    """The activity editor: the whole LBF skema plus places, organisations and contacts."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Activity
        fields = ["name", "short_description", "purpose", "target_group", "content", "anchoring",
                  "responsibilities", "locations", "housing_areas", "responsible_organisations", "contacts",
                  "municipal_cofinancing", "revision"]
        widgets = {
            "purpose": _textarea(4), "target_group": _textarea(3), "content": _textarea(10),
            "anchoring": _textarea(4), "responsibilities": _textarea(5), "locations": _textarea(2),
            "revision": _textarea(2),
            "housing_areas": forms.CheckboxSelectMultiple,
            "responsible_organisations": forms.SelectMultiple(attrs={"size": 8}),
            "contacts": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "responsible_organisations": "Hold Ctrl (Cmd på Mac) nede for at vælge flere.",
            "contacts": "Hold Ctrl (Cmd på Mac) nede for at vælge flere.",
        }

    def __init__(self, *args, sub_agreement: SubAgreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_areas"].queryset = HousingArea.objects.filter(plan_id=sub_agreement.plan_id)
        self.fields["contacts"].queryset = Contact.objects.select_related("organisation")
        if not self.is_bound:
            self.initial["version"] = sub_agreement.version


class StrategicAgreementForm(VersionedForm):
    contract_fields = ("contract_date", "contract_issuer", "contract_issuer_department")

    class Meta:
        model = StrategicAgreement
        fields = ["documents", "section_1_area", "section_2_vision", "section_3_organisation", "section_4_interplay",
                  "section_7_evaluation", "section_8_revision", "contract_date", "contract_issuer",
                  "contract_issuer_department"]
        widgets = {name: _textarea(6) for name in fields[:7]}
        widgets["documents"] = _textarea(4)
        widgets["contract_date"] = DateInput()


class AgreementPartyForm(PartyContactsForm):
    class Meta:
        model = AgreementParty
        fields = ["organisation", "role", "signatory_name", "signatory_title", "signed_date", "order"]
        widgets = {"order": ORDER_WIDGET, "signed_date": DateInput()}


AgreementPartyFormSet = inlineformset_factory(StrategicAgreement, AgreementParty, form=AgreementPartyForm,
                                              formset=OrderedInlineFormSet, extra=0, can_delete=True)


class ProblemComplexForm(forms.ModelForm):
    class Meta:
        model = PlanFocusArea
        fields = ["problem_complex"]
        widgets = {"problem_complex": _textarea(6)}


ProblemComplexFormSet = modelformset_factory(PlanFocusArea, form=ProblemComplexForm, extra=0, can_delete=False)


def changed_rows(formset) -> ChildChanges:
    """Rows of a plain model formset whose values changed."""
    return ChildChanges(saved=[form.instance for form in formset.forms if form.has_changed()])


class ApprovalForm(forms.Form):
    meeting_date = forms.DateField(label="Dato for bestyrelsesmødet", widget=DateInput())
    referat = forms.CharField(label="Referat (reference)", max_length=300, validators=[no_control_characters],
                              help_text="F.eks. »Referat af bestyrelsesmøde 12. marts, punkt 4«.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Begrundelse (valgfri)", required=False, widget=_textarea(2))


class LbfApprovalForm(forms.Form):
    lbf_approved_on = forms.DateField(label="Dato for LBF's godkendelse", widget=DateInput())


class CommentForm(forms.Form):
    text = forms.CharField(label="Kommentar", widget=_textarea(3), max_length=5000)


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["category", "title", "text"]
        widgets = {"text": _textarea(10)}


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label="Hjemmeside", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "address", "website"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["organisation", "name", "title", "email", "phone"]


class NewSubAgreementForm(forms.Form):
    focus_area = forms.ModelChoiceField(label="Indsatsområde", queryset=FocusArea.objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(
            plan_focus_areas__plan=plan).exclude(sub_agreements__plan=plan)


# --- Milepæle, beredskabsplan and the public page ------------------------------------------------

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class AttachmentForm(forms.Form):
    """An organisationsdiagram or a bilag to upload (its content is checked by ``attachments.attachment_upload``)."""

    kind = forms.ChoiceField(label="Type", choices=Attachment.Kind.choices, initial=Attachment.Kind.APPENDIX,
                             help_text="Organisationsdiagram: et billede (PNG eller JPEG), der vises i "
                                       "samarbejdsaftalens afsnit 3. Bilag: en PDF-fil, der sættes bag i den "
                                       "samlede plan.")
    title = forms.CharField(label="Titel", max_length=200, help_text="F.eks. »Kommissorium for bestyrelsen«.")
    sub_agreement = forms.ModelChoiceField(label="Hører til", queryset=SubAgreement.objects.none(), required=False,
                                           empty_label="Hele helhedsplanen")
    file = forms.FileField(label="Fil",
                           widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.pdf"}))

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_agreement"].queryset = SubAgreement.objects.filter(plan=plan).select_related(
            "focus_area").order_by("order", "focus_area__order")
        self.fields["sub_agreement"].label_from_instance = lambda sub: sub.focus_area.name
        self.fields["file"].help_text = (f"PNG, JPEG eller PDF, højst {attachment_limits_text()}.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_attachment_size(upload.size)  # before the file is read
        except ImportRefused as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload


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


class DocumentKindForm(forms.ModelForm):
    prefix = "dokumenttype"

    class Meta:
        model = Plan
        fields = ["document_kind"]
        widgets = {"document_kind": forms.RadioSelect}


class FollowupDateForm(forms.ModelForm):
    """The day of the annual follow-up (its own prefix: it shares the settings page with the public page)."""

    prefix = "followup"

    class Meta:
        model = Plan
        fields = ["followup_day", "followup_month"]
        labels = {"followup_day": "Dag", "followup_month": "Måned"}


# --- A new plan -----------------------------------------------------------------------------------

class PlanPuljeForm(forms.Form):
    """The first step of a new plan: its pulje decides the period and the indsatsområder to choose from."""

    pulje = forms.ModelChoiceField(label="Pulje", queryset=Pulje.objects.all(), to_field_name="code", empty_label=None)


class PlanCreateForm(forms.Form):
    name = forms.CharField(label="Navn på indsatsen", max_length=200)
    start_date = forms.DateField(label="Gælder fra", widget=DateInput())
    end_date = forms.DateField(label="Gælder til", widget=DateInput())
    lbf_journal_number = forms.CharField(label="LBF journalnummer", max_length=50, required=False)
    administrating_organisation = forms.ModelChoiceField(
        label="Administrerende boligorganisation", queryset=Organisation.objects.filter(kind=Organisation.Kind.HOUSING))
    municipality = forms.ModelChoiceField(
        label="Kommune", queryset=Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY))
    focus_areas = forms.ModelMultipleChoiceField(
        label="Indsatsområder", queryset=FocusArea.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="Planen får en delaftale pr. valgt indsatsområde og LBF's overordnede mål med de faste indikatorer.")

    def __init__(self, *args, pulje: Pulje, **kwargs):
        super().__init__(*args, **kwargs)
        self.pulje = pulje
        self.fields["focus_areas"].queryset = pulje.focus_areas.order_by("order", "name")
        self.fields["start_date"].help_text = (
            f"Planen skal begynde i puljens år, {pulje.first_year}–{pulje.last_year}.")


_DEPARTMENT_LINE = re.compile(r"^(?:afd(?:eling)?\.?\s*)?(\S+)\s*(.*)$", re.IGNORECASE)
DEPARTMENT_NUMBER_MAX_LENGTH = HousingDepartment._meta.get_field("number").max_length
DEPARTMENT_NAME_MAX_LENGTH = HousingDepartment._meta.get_field("name").max_length


def parse_departments(text: str) -> list[tuple[str, str]]:
    """Afdelinger typed one per line as "afdelingsnummer navn" ("12 Parkvænget", "afd. 12 Parkvænget")
    → [(number, name)]; raises ValidationError naming each bad line."""
    departments: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line_number, line in enumerate(text.splitlines(), start=1):
        match = _DEPARTMENT_LINE.match(line.strip())
        if not line.strip() or match is None:
            continue
        number, name = match.group(1), match.group(2).strip()
        if len(number) > DEPARTMENT_NUMBER_MAX_LENGTH:
            problems.append(f"Linje {line_number}: afdelingsnummeret »{number}« er for langt "
                            f"(højst {DEPARTMENT_NUMBER_MAX_LENGTH} tegn). Skriv nummeret først, så navnet.")
        elif len(name) > DEPARTMENT_NAME_MAX_LENGTH:
            problems.append(f"Linje {line_number}: navnet er for langt (højst {DEPARTMENT_NAME_MAX_LENGTH} tegn).")
        elif number.casefold() in seen:
            problems.append(f"Linje {line_number}: afdeling {number} står der allerede.")
        else:
            seen.add(number.casefold())
            departments.append((number, name))
    if problems:
        raise forms.ValidationError(problems)
    return departments


class HousingAreaForm(forms.Form):
    """A boligområde of a new plan; its afdelinger as lines of text."""

    name = forms.CharField(label="Boligområdets navn", max_length=200)
    organisation = forms.ModelChoiceField(
        label="Afdelingernes boligorganisation", required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.HOUSING),
        empty_label="Den administrerende boligorganisation")
    departments = forms.CharField(
        label="Afdelinger", required=False, widget=_textarea(3),
        help_text="Én afdeling pr. linje: afdelingsnummer og navn, f.eks. »12 Parkvænget«.")

    def clean_departments(self) -> list[tuple[str, str]]:
        return parse_departments(self.cleaned_data.get("departments", ""))


class HousingAreaBaseFormSet(SharedChoicesMixin, forms.BaseFormSet):
    default_error_messages = {"too_few_forms": "Angiv mindst ét boligområde."}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Fjern"

    def clean(self) -> None:
        if any(self.errors):
            return
        names: set[str] = set()
        for form in self.kept_forms():
            name = form.cleaned_data["name"].strip()
            if name.casefold() in names:
                raise forms.ValidationError(f"To boligområder hedder »{name}«.")
            names.add(name.casefold())

    def kept_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]

    def housing_areas(self, *, default_organisation: Organisation) -> list[HousingAreaInput]:
        """The boligområder typed, for ``services.plan_create`` (call after ``is_valid()``)."""
        areas = []
        for form in self.kept_forms():
            organisation = form.cleaned_data["organisation"] or default_organisation
            areas.append(HousingAreaInput(
                name=form.cleaned_data["name"],
                departments=[DepartmentInput(number=number, name=name, organisation=organisation)
                             for number, name in form.cleaned_data["departments"]],
            ))
        return areas


HousingAreaFormSet = forms.formset_factory(HousingAreaForm, formset=HousingAreaBaseFormSet, extra=0, min_num=1,
                                           validate_min=True, can_delete=True)
