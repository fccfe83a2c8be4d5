"""Template filters for Danish formats (see ``helhedsplan.formatting``)."""

from django import template

from helhedsplan import formatting

register = template.Library()

register.filter("dk_number", formatting.format_number)
register.filter("dk_kroner", formatting.format_kroner)
register.filter("dk_tkr_as_kroner", formatting.format_thousands_as_kroner)
register.filter("dk_date", formatting.format_date)
register.filter("dk_signed", formatting.format_signed)


@register.filter
def dk_percent(value, decimals=1):
    return formatting.format_percent(value, int(decimals))
