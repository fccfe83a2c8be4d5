from datetime import date
from decimal import Decimal

from helhedsplan.formatting import (
    NO_BREAK_SPACE,
    format_date,
    format_kroner,
    format_number,
    format_percent,
    format_thousands_as_kroner,
    keep_units_together,
)


def test_danish_number_formats():
    assert format_number(1234567) == "1.234.567"
    assert format_number(Decimal("1234.5")) == "1.234,5"
    assert format_number(-2609) == "-2.609"
    assert format_number(999) == "999"
    assert format_number(12.25, 1) == "12,3"


def test_money_percent_and_dates():
    assert format_kroner(2609000) == "2.609.000 kr."
    assert format_thousands_as_kroner(3132) == "3.132.000 kr."
    assert format_percent(39) == "39,0 %"
    assert format_percent(Decimal("16.66"), 1) == "16,7 %"
    assert format_date(date(2022, 1, 1)) == "1. januar 2022"
    assert format_date(date(2025, 9, 30)) == "30. september 2025"


def test_keep_units_together_joins_a_number_and_its_unit_only():
    text = "39,0 % og 2.609.000 kr. samt 450 t.kr. i 2022 for 40 børnefamilier"
    assert keep_units_together(text) == (f"39,0{NO_BREAK_SPACE}% og 2.609.000{NO_BREAK_SPACE}kr. samt "
                                         f"450{NO_BREAK_SPACE}t.kr. i 2022 for 40 børnefamilier")
    assert keep_units_together("12 kroner, 3 krav") == "12 kroner, 3 krav"
