"""Danish number, money and date formats shared by every app and document.

``1.234.000 kr.``, ``39,0 %``, ``1. januar 2022`` — independent of the active locale so documents
render the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NO_BREAK_SPACE = "\u00a0"
# A space between a number and the unit after it: kroner, thousands/millions of kroner, per cent.
_NUMBER_UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:t\.\s?kr\b|kr\b|mio\.|%|pct\.|procent\b))")

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]


def format_number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """``1234567.5`` → ``1.234.567,5``; ``decimals=None`` drops a zero fraction."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else max(0, -number.normalize().as_tuple().exponent)
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if decimals:
        text += "," + fraction
    return sign + text


def format_signed(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """A difference with its sign: ``1234`` → ``+1.234``, ``-5.5`` → ``-5,5``, ``0`` → ``0``."""
    if value is None:
        return ""
    text = format_number(value, decimals)
    return f"+{text}" if Decimal(str(value)) > 0 else text


def format_kroner(value: int | Decimal | None) -> str:
    """Whole kroner: ``2609000`` → ``2.609.000 kr.``"""
    if value is None:
        return ""
    return f"{format_number(value, 0)} kr."


def format_thousands_as_kroner(value: int | None) -> str:
    """Budget amounts are thousands of kroner: ``2609`` → ``2.609.000 kr.``"""
    if value is None:
        return ""
    return format_kroner(int(value) * 1000)


def format_percent(value: int | float | Decimal | None, decimals: int = 1) -> str:
    """``39`` → ``39,0 %``"""
    if value is None:
        return ""
    return f"{format_number(value, decimals)} %"


def format_date(value: date | None) -> str:
    """``date(2022, 1, 1)`` → ``1. januar 2022``"""
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def keep_units_together(text: str) -> str:
    """A no-break space between a number and its unit, so a line never ends between them:
    ``39,0 %`` / ``2.609.000 kr.`` / ``450 t.kr.``. For a whole rendered document (formats above and
    the plan's own text alike); other spaces are left alone."""
    return _NUMBER_UNIT_SPACE.sub(NO_BREAK_SPACE, text)
