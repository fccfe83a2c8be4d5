"""The login form and the profile form (labels in Danish)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from helhedsplan.validators import no_control_characters

LOGIN_NAME_MAX_LENGTH = 254  # an e-mail address may be longer than a username


class LoginForm(AuthenticationForm):
    """Django's login form; the first field takes a username or an e-mail address."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Brugernavn eller e-mail"
        username.max_length = LOGIN_NAME_MAX_LENGTH
        username.widget.attrs["maxlength"] = LOGIN_NAME_MAX_LENGTH
        self.fields["password"].label = "Adgangskode"


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="Fornavn", max_length=150, validators=[no_control_characters])
    last_name = forms.CharField(label="Efternavn", max_length=150, validators=[no_control_characters])
    email = forms.EmailField(label="E-mail", help_text="Bruges til at logge ind og til beskeder fra Helhedsplan.")
    phone = forms.CharField(label="Telefon", max_length=40, required=False, validators=[no_control_characters])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget = forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
