"""Form helpers shared by every app's views (imports no app)."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.forms import renderers
from django.template import TemplateDoesNotExist


class FormRenderer(renderers.Jinja2):
    """Widgets and forms through Django's own Jinja2 templates — the same markup as the template
    language's, at about half the CPU on pages with many choice fields (a delaftale's party rows list
    every organisation and contact). Templates only the template language has (the admin's widget
    wrappers and widgets) are rendered by Django's standard renderer."""

    @cached_property
    def fallback(self) -> renderers.DjangoTemplates:
        return renderers.DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)


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
