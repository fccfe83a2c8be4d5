"""Reading numbers as Danes type them: ``90,7``, ``1.234,5``, ``90,7 %``, ``4.6`` (xlsx/csv)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_THOUSANDS_WITH_POINTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_number(raw: object) -> Decimal | None:
    """A number from user input or a spreadsheet cell; ``None`` for an empty cell.

    A comma is the decimal separator (points are then thousands separators); without a comma a
    point is a decimal point unless it groups thousands (``1.500``). A trailing ``%`` is allowed.
    Raises ``ValueError`` with a Danish message when the text is not a number.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"»{raw}« er ikke et tal.")
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).strip().replace("\u00a0", " ").replace("\u2212", "-")
    if not text:
        return None
    cleaned = text.removesuffix("%").strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS_WITH_POINTS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"»{text}« er ikke et tal.") from None
    if not number.is_finite():
        raise ValueError(f"»{text}« er ikke et tal.")
    return number
