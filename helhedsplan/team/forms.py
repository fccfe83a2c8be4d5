"""The invitation form and the new member's form (labels in Danish)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from agreements.models import PlanMembership
from helhedsplan.validators import no_control_characters


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(label="Rolle", choices=PlanMembership.Role.choices,
                             initial=PlanMembership.Role.BOARD)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class NewMemberForm(forms.Form):
    """A person without a user chooses their name and password."""

    first_name = forms.CharField(label="Fornavn", max_length=150, validators=[no_control_characters])
    last_name = forms.CharField(label="Efternavn", max_length=150, validators=[no_control_characters])
    password1 = forms.CharField(label="Adgangskode", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Gentag adgangskoden", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        # Read here, in the request's language, not when the module is imported.
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError("De to adgangskoder er ikke ens.")
        return second
