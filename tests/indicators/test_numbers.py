from decimal import Decimal as D

import pytest

from indicators.numbers import parse_number


@pytest.mark.parametrize("raw, expected", [
    ("90,7", D("90.7")), ("90,7 %", D("90.7")), ("90.7", D("90.7")), ("1.500", D("1500")),
    ("1.234,5", D("1234.5")), (" 42 ", D("42")), (42, D("42")), (4.6, D("4.6")), ("-0,5", D("-0.5")),
    ("", None), (None, None), ("  ", None),
])
def test_danish_and_plain_numbers(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12,5,3", "ca. 40", "NaN", "Infinity", True])
def test_text_is_not_a_number(raw):
    with pytest.raises(ValueError, match="er ikke et tal"):
        parse_number(raw)
