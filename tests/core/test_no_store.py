"""Every page and file of the URL configuration is sent with `Cache-Control: no-store, private`."""

import pytest
from django.urls import reverse

from .urlwalk import fresh_office, sign_in, walk

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_url_is_sent_no_store(client):
    office = fresh_office()
    missing = []
    for call in walk(office):
        sign_in(client, office, call)
        response = getattr(client, call.method)(call.url)
        assert response.status_code < 500, (call.name, response.status_code)
        if not {"no-store", "private"} <= _directives(response) or "public" in _directives(response):
            missing.append((call.name, response.status_code, response.get("Cache-Control")))
        client.logout()
    assert not missing, missing


def test_exports_and_anonymous_pages_are_no_store(as_admin):
    response = as_admin.get(reverse("visits:billing_export"), {"format": "csv"})
    assert {"no-store", "private"} <= _directives(response)
    as_admin.logout()
    assert {"no-store", "private"} <= _directives(as_admin.get(reverse("login")))


def test_a_url_without_an_entry_fails_the_walk(monkeypatch):
    from django.urls import path

    from config import urls

    monkeypatch.setattr(urls, "urlpatterns", [*urls.urlpatterns, path("new-page/", lambda r: None, name="brand_new")])
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        with pytest.raises(AssertionError, match="brand_new"):
            list(walk(fresh_office()))
    finally:
        monkeypatch.undo()
        clear_url_caches()
