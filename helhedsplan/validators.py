"""Rules every free text obeys, wherever it is written (forms, the admin, imports, services).

A text field of the project's models carries these validators, so ``full_clean()`` — which every form,
the admin, the admin's imports and the services run — refuses a text that is too long or holds a
control character, with a Danish message attached to the field. PostgreSQL would refuse a NUL only at
the insert (in English, as a server error), and an .xlsx cannot hold most control characters at all.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

from .formatting import format_number

# The longest texts of the real plans are about 11.000 characters (a strategic agreement's section on
# organisation); the limits leave room for several times that, and refuse a pasted megabyte.
DOCUMENT_TEXT_LIMIT = 50_000  # sections of the agreements, activity skemaer, clauses
NOTE_TEXT_LIMIT = 5_000       # notes, comments, goals and indicators, budget descriptions and footnotes

# C0 control characters (NUL included) and DEL; tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@deconstructible
class NoControlCharacters:
    """Refuses text holding NUL or another control character (not tab or line breaks)."""

    code = "control_character"

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        match = CONTROL_CHARACTERS_RE.search(value)
        if match:
            raise ValidationError(
                "Teksten indeholder et usynligt styretegn (kode %(code)s) ved tegn nr. %(position)s. Fjern det "
                "(det kommer ofte med, når der kopieres fra et andet program), og prøv igen.",
                code=self.code,
                params={"code": f"{ord(match.group()):02X}", "position": format_number(match.start() + 1)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters)

    def __hash__(self) -> int:
        return hash(self.code)


no_control_characters = NoControlCharacters()


def text_rules(limit: int) -> dict[str, Any]:
    """Keyword arguments for a ``TextField``: ``max_length`` (forms show and enforce it) and the
    validators that make the model refuse a longer text or a control character."""
    return {"max_length": limit, "validators": [MaxLengthValidator(limit), no_control_characters]}
