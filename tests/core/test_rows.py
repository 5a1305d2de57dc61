"""core.rows: the busiest pages' lists rendered by Jinja2, escaped, in the request's language, and strict
about names."""

import re

import jinja2
import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation.template import templatize

from core.rows import render_rows

from ..cases.test_english import PO, parse_po


def test_rows_are_escaped_and_safe_to_place_in_a_django_template():
    html = render_rows("claims/stops.html", stops=[type("Stop", (), {"message": "<b>x</b>", "url": "/a?b=1&c=2"})])
    assert isinstance(html, SafeString)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'href="/a?b=1&amp;c=2"' in html


@pytest.mark.parametrize(("language", "word"), [("ja", "修正する"), ("en", "Fix")])
def test_words_are_translated_in_the_active_language(language, word):
    stop = type("Stop", (), {"message": "m", "url": "/"})
    with translation.override(language):
        assert f">{word}</a>" in render_rows("claims/stops.html", stops=[stop])


def test_a_missing_name_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        render_rows("claims/stops.html")


def test_block_tags_leave_no_blank_lines():
    template = engines["rows"].from_string("<ul>\n{% for i in items %}\n<li>{{ i }}</li>\n{% endfor %}\n</ul>")
    assert template.render({"items": [1, 2]}) == "<ul>\n<li>1</li>\n<li>2</li>\n</ul>"


JINJA_TEMPLATES = sorted((settings.BASE_DIR / "templates" / "jinja2").rglob("*.html"))
WORD = re.compile(r"""_\("([^"]+)"\)""")


@pytest.mark.parametrize("path", JINJA_TEMPLATES, ids=lambda p: p.name)
def test_every_word_of_a_rows_template_is_found_by_makemessages_and_translated(path):
    """makemessages reads these templates as it reads Django's (django.utils.translation.templatize): each
    `_("…")` must come out of it, and the English catalog must have it."""
    source = path.read_text()
    words = set(WORD.findall(source))
    found = set(re.findall(r"""_\("([^"]+)"\)""", templatize(source, origin=str(path))))
    assert words <= found, words - found
    catalog = {e["msgid"] for e in parse_po(PO)}
    assert words <= catalog, words - catalog


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "format_string", ["Y/m/d", "Y年n月j日", "Y年n月", "n/j", "Y-m-d", "{Y}", "N j, Y", "D", r"\Y Y"]
)
def test_the_date_filter_formats_as_djangos(language, format_string):
    """The rows engine's `date` formats a date in numbers directly and gives what Django's filter gives,
    whatever the format; a datetime, None and "" go to Django's."""
    import datetime

    from django.template import defaultfilters

    from core.rows import date

    values = [datetime.date(y, m, d) for y, m, d in ((2026, 1, 5), (2025, 12, 31), (999, 7, 9), (2024, 2, 29))]
    values += [datetime.datetime(2026, 3, 4, 9, 5, tzinfo=datetime.UTC), None, ""]
    with translation.override(language):
        for value in values:
            assert date(value, format_string) == defaultfilters.date(value, format_string), (value, format_string)
