from __future__ import annotations

from django import forms

from .models import Delivery
from .services import USER_KINDS


class PreferencesForm(forms.Form):
    """One choice per kind of notification: at once, in the daily digest, or off."""

    def __init__(self, *args, initial_deliveries: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in USER_KINDS:
            self.fields[kind.value] = forms.ChoiceField(label=kind.label, choices=Delivery.choices,
                                                        initial=initial_deliveries.get(kind.value),
                                                        widget=forms.RadioSelect)
