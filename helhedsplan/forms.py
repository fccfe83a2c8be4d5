"""Form helpers shared by every app's views (imports no app)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def error_messages(exc: ValidationError) -> list[str]:
    """A service's ValidationError as plain Danish messages."""
    return [str(message) for message in exc.messages]


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
