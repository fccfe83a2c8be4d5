"""Forms of the bestyrelsesmøder. They validate input; the writes happen in the services."""

from __future__ import annotations

from django import forms

from agreements.forms import DateInput
from agreements.models import StrategicAgreement, SubAgreement
from helhedsplan.validators import DOCUMENT_TEXT_LIMIT, no_control_characters

from .models import BoardMeeting
from .selectors import AgendaRow, DocumentRow


def document_choice(document: StrategicAgreement | SubAgreement) -> str:
    """The value that names a document in the agenda's checkboxes."""
    if isinstance(document, SubAgreement):
        return f"delaftale-{document.pk}"
    return f"samarbejdsaftale-{document.pk}"


class MeetingForm(forms.ModelForm):
    """Date, place and referat of a meeting, and which of the plan's documents are on its agenda."""

    documents = forms.MultipleChoiceField(
        label="Dokumenter til behandling", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Dokumenter, som sekretariatet har sendt til behandling i bestyrelsen.",
    )

    class Meta:
        model = BoardMeeting
        fields = ["date", "place", "referat"]
        widgets = {"date": DateInput(), "referat": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, candidates: list[DocumentRow], on_agenda: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._documents = {document_choice(row.document): row.document for row in candidates}
        self.fields["documents"].choices = [(document_choice(row.document), f"{row.title} ({row.state.label.lower()})")
                                            for row in candidates]
        if not self.is_bound:
            self.initial["documents"] = [document_choice(document) for document in on_agenda]
        if not candidates:
            self.fields["documents"].help_text = "Ingen dokumenter er sendt til behandling i bestyrelsen."

    def chosen_documents(self) -> list[StrategicAgreement | SubAgreement]:
        return [self._documents[value] for value in self.cleaned_data["documents"]]


class AgendaApprovalForm(forms.Form):
    """The bestyrelse approves the agenda's documents: the referat, and the version of each document the
    approver saw (hidden)."""

    referat = forms.CharField(label="Referat", widget=forms.Textarea(attrs={"rows": 6}),
                              max_length=DOCUMENT_TEXT_LIMIT, validators=[no_control_characters],
                              help_text="Bestyrelsens beslutning om dokumenterne; gemmes som mødets referat og "
                                        "med hver godkendelse.")

    def __init__(self, *args, rows: list[AgendaRow], **kwargs):
        super().__init__(*args, **kwargs)
        self._items = [row.item.pk for row in rows]
        for row in rows:
            self.fields[f"version_{row.item.pk}"] = forms.IntegerField(widget=forms.HiddenInput,
                                                                       initial=row.document.version)

    def expected_versions(self) -> dict[int, int]:
        return {pk: self.cleaned_data[f"version_{pk}"] for pk in self._items}

    def hidden_versions(self) -> list[forms.BoundField]:
        return [self[f"version_{pk}"] for pk in self._items]
