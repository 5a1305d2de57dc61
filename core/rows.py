"""The loops of the busiest pages rendered by Jinja2 (templates/jinja2/, the "rows" engine).

A page's Django template keeps its layout; its long lists (rows prepared in Python, with their links) are
rendered here and placed as one safe string. Jinja2 compiles a loop to Python: a list of rows takes a
fraction of the Django template language's time. Words are written `_("…")` (a plain `{{ }}` or
`{% set %}` whose text is the literal): makemessages finds them there as it does in Django templates.
"""

import datetime
from functools import lru_cache

import jinja2
from django.template import defaultfilters, engines
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from core.links import ids_path


def environment(**options) -> jinja2.Environment:
    """A missing name is an error, not an empty string; block tags leave no blank lines; `_` and
    `ngettext` are Django's, in the request's language; `url(name, *args)` reverses, and the filters
    `date`, `truncatechars` and `linebreaksbr` are Django's (`{{ day|date("Y/m/d") }}`)."""
    env = jinja2.Environment(
        **{
            **options,
            "undefined": jinja2.StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "extensions": ["jinja2.ext.i18n"],
        }
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals["url"] = url
    env.filters["date"] = date
    env.filters["truncatechars"] = defaultfilters.truncatechars
    env.filters["linebreaksbr"] = defaultfilters.linebreaksbr  # escapes, then marks safe (__html__)
    return env


# Django's date format letters that give numbers, as str.format fields of a date.
NUMERIC_FORMATS = {"Y": "{0.year:04d}", "m": "{0.month:02d}", "n": "{0.month}", "d": "{0.day:02d}", "j": "{0.day}"}


@lru_cache(maxsize=64)
def _numeric_format(format_string: str) -> str | None:
    """`format_string` as a str.format pattern when it has only numeric letters, else None."""
    parts = []
    for char in format_string:
        if char in NUMERIC_FORMATS:
            parts.append(NUMERIC_FORMATS[char])
        elif (char.isascii() and char.isalpha()) or char == "\\":
            return None
        else:
            parts.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


def date(value, format_string=None):
    """Django's `date` filter; a date (not a datetime) in numbers only ("Y/m/d", "Y年n月j日") is formatted
    directly, as Django would, without its formatter's per-call setup."""
    if format_string and type(value) is datetime.date:
        pattern = _numeric_format(format_string)
        if pattern is not None:
            return pattern.format(value)
    return defaultfilters.date(value, format_string)


def url(name: str, *args) -> str:
    """reverse(name, args=args); ids formatted into the pattern's path, reversed once (core.links)."""
    if args and all(type(arg) is int for arg in args):
        return ids_path(name, *args)
    return reverse(name, args=args)


def render_rows(template_name: str, *, request=None, **context) -> SafeString:
    """The rows of `template_name` (under templates/jinja2/), escaped by Jinja2's autoescape; with the
    `request`, forms in them have `csrf_input`."""
    template = engines["rows"].get_template(template_name)
    return mark_safe(template.render(context, request))  # noqa: S308 escaped by Jinja2
