"""Every URL with malformed path ids, GET parameters and POST fields answers without a server error.

The walk covers every URL pattern (tests/core/urlwalk.py): path ids are replaced by 0, a huge number and
a year 10000; GET gets the parameters the views read plus junk; POST sends every field the page's form
has (read from its HTML) with each malformed value in turn.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from .urlwalk import fresh_office, sign_in, walk

pytestmark = pytest.mark.django_db

MEGABYTE = "あ" * (1024 * 1024 // 3)  # 1 MB in UTF-8
BAD_VALUES = ["0", "-1", "99999999999999999999999", "abc", "²", "１２３", "10000-01-01", "0001-01-01", MEGABYTE, ""]
ADMIN_BAD_VALUES = [MEGABYTE, "²", "99999999999999999999999"]  # the admin's own views: fewer rounds
GET_PARAMS = [
    "client", "office", "month", "page", "a", "b", "staff", "format", "next", "user", "kind",
    "date_from", "date_to", "q", "status", "phase", "severity", "archived",
]
FIELD_NAME = re.compile(r'name="([^"]+)"')


def _path_variants(call):
    for key, value in call.kwargs.items():
        if not str(value).isdigit():
            continue
        for bad in (0, 10**20, 10000 if key == "year" else 13 if key == "month" else 10**18):
            yield {**call.kwargs, key: bad}


def _url(call, kwargs):
    try:
        return reverse(call.name, kwargs=kwargs)
    except NoReverseMatch:
        return None  # the URL pattern itself refuses the value: a 404 without reaching the view


def _fields(client, url) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    names = set(FIELD_NAME.findall(response.content.decode()))
    return sorted(names - {"csrfmiddlewaretoken"})


def test_no_url_answers_a_malformed_request_with_a_server_error(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024  # let 1 MB in every field reach the forms
    client.raise_request_exception = False
    office = fresh_office()
    errors = []

    def check(method, url, data=None):
        response = getattr(client, method)(url, data or {})
        if response.status_code >= 500:
            errors.append((method, url[:120], sorted(data or {})[:5], [str(v)[:12] for v in (data or {}).values()][:3]))

    for call in walk(office):
        sign_in(client, office, call)
        for kwargs in _path_variants(call):
            url = _url(call, kwargs)
            if url:
                check("get", url)
                check("post", url)
        url = call.url
        for bad in ADMIN_BAD_VALUES if call.admin else BAD_VALUES:
            if bad is MEGABYTE:  # one long parameter is enough for the query string
                check("get", url, {"q": bad, "client": "1"})
            else:
                check("get", url, {name: bad for name in GET_PARAMS})
        fields = _fields(client, url) if not call.admin else []
        if call.method == "post" or fields:
            for bad in BAD_VALUES:
                check("post", url, {name: bad for name in fields or GET_PARAMS})
        client.logout()
    assert not errors, "\n".join(map(str, errors))


def test_no_url_takes_an_unbounded_int():
    """`<int:…>` takes 30 digits, which the database cannot look up (a 500); use `<id:…>` (core/converters.py)."""
    from django.urls.converters import IntConverter

    from .urlwalk import patterns

    unbounded = [
        name for name, entry, namespace, _route in patterns()
        if not namespace.startswith("admin:")  # the admin's own (django-otp's device pages): audit/admin_site.py
        and any(isinstance(c, IntConverter) for c in getattr(entry.pattern, "converters", {}).values())
    ]
    assert not unbounded, unbounded
