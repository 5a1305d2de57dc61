"""A page cache for office pages that many people reload: the caseload.

A cached page is kept per user, office, URL, language and day, under the office's `data_version`, which
the signals below move on in the same transaction as every change to what the page shows (clients,
employments, memberships, users, the office, flags: the navigation's badge). The flag jobs write in bulk,
without signals, and call `bump_offices` themselves. CSRF tokens are left as a hole in the stored page and
filled per response; a request with flash messages to show is rendered afresh.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.cache import caches
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from .models import Client, Employment, Membership, Office, User

CSRF_HOLE = "csrf-hole-c0ffee"
PAGE_TIMEOUT = 10 * 60


def page_key(request) -> str:
    user, membership = request.user, request.membership
    parts = (
        request.get_full_path(),
        get_language(),
        timezone.localdate(),
        (user.pk, user.last_name, user.first_name, user.username, user.is_superuser),
        membership.pk,
        *((m.pk, m.role, m.office_id, m.office.data_version) for m in request.memberships),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_office_page(view):
    """For a GET view behind `office_required` whose page depends only on the data versioned above."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = page_key(request)
        body = caches["pages"].get(key)
        if body is None:
            request.page_cache_fill = {"csrf_token": CSRF_HOLE}
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            body = response.content.decode(response.charset)
            caches["pages"].set(key, body, PAGE_TIMEOUT)
            response.content = body.replace(CSRF_HOLE, get_token(request))
            return response
        return HttpResponse(body.replace(CSRF_HOLE, get_token(request)))

    return wrapped


def bump_offices(office_ids):
    ids = {pk for pk in office_ids if pk is not None}
    if ids:
        Office.objects.filter(pk__in=ids).update(data_version=F("data_version") + 1)


def _office_row_changed(sender, instance, **kwargs):
    bump_offices([instance.office_id])


def _client_row_changed(sender, instance, **kwargs):
    bump_offices(Client.objects.filter(pk=instance.client_id).values_list("office_id", flat=True))


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:  # every login: not on the page
        return
    bump_offices(Membership.objects.filter(user_id=instance.pk).values_list("office_id", flat=True))


def _office_changed(sender, instance, created=False, **kwargs):
    if not created:
        bump_offices([instance.pk])


def connect():
    from flags.models import Flag

    for model in (Client, Membership, Flag):
        post_save.connect(_office_row_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-save")
        post_delete.connect(_office_row_changed, sender=model, dispatch_uid=f"pagecache-{model.__name__}-del")
    post_save.connect(_client_row_changed, sender=Employment, dispatch_uid="pagecache-Employment-save")
    post_delete.connect(_client_row_changed, sender=Employment, dispatch_uid="pagecache-Employment-del")
    post_save.connect(_user_changed, sender=User, dispatch_uid="pagecache-User-save")
    post_save.connect(_office_changed, sender=Office, dispatch_uid="pagecache-Office-save")
