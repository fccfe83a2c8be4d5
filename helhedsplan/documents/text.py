"""Plain stored text → safe HTML for the documents.

The plan's long texts are plain text: paragraphs separated by a blank line, bullet lines starting
with ``- `` (or ``• ``), other line breaks kept as line breaks. Everything is escaped; the only markup
in the result is ``<p>``, ``<br>``, ``<ul>`` and ``<li>`` written here. No formatting is allowed in
the stored texts, so no sanitiser is needed: nothing the user typed ever becomes markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^[ \t]*[-•][ \t]+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def text_blocks(text: str | None) -> list[tuple[bool, list[str]]]:
    """Stored plain text as blocks: ``(is_bullet_list, lines)``; a paragraph's lines are its line breaks.
    ``"Intro:\\n- a\\n- b\\n\\nNext"`` → ``[(False, ["Intro:"]), (True, ["a", "b"]), (False, ["Next"])]``."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks: list[tuple[bool, list[str]]] = []
    for block in BLANK_LINE.split(text):
        # Consecutive lines of the same kind form one group: a paragraph or a bullet list.
        groups: list[tuple[bool, list[str]]] = []
        for raw in block.split("\n"):
            if not raw.strip():
                continue
            bullet = BULLET.match(raw)
            line = raw[bullet.end():].strip() if bullet else raw.strip()
            if not line:
                continue
            is_bullet = bullet is not None
            if groups and groups[-1][0] == is_bullet:
                groups[-1][1].append(line)
            else:
                groups.append((is_bullet, [line]))
        blocks.extend(groups)
    return blocks


def plain_text_to_html(text: str | None) -> SafeString:
    """``"Intro:\\n- a\\n- b\\n\\nNext"`` → ``<p>Intro:</p><ul><li>a</li><li>b</li></ul><p>Next</p>``."""
    parts: list[str] = []
    for is_bullet, lines in text_blocks(text):
        if is_bullet:
            parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")
        else:
            parts.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(parts))
