"""Build the POST data a browser would send for a form or formset as it is shown."""

from datetime import date

from django import forms


def form_data(form) -> dict:
    data: dict = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def formset_data(formset) -> dict:
    data = form_data(formset.management_form)
    for form in formset.forms:
        data.update(form_data(form))
    return data
