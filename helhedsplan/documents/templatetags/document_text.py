"""``{{ text|as_paragraphs }}``: stored plain text as escaped paragraphs and bullet lists."""

from django import template

from helhedsplan.documents.text import plain_text_to_html

register = template.Library()

register.filter("as_paragraphs", plain_text_to_html)
