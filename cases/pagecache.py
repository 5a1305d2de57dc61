"""A page cache for office pages that many people reload: the caseload.

A cached page is kept per user, office, URL, language and day, under the office's `data_version`, which
the signals below move on when a transaction that changed what the page shows commits (clients,
employments, memberships, users, the office, flags: the navigation's badge), for the office a record was
in before the change too. The flag jobs write in bulk, without signals, and call `bump_offices`
themselves. Moving the version after the commit holds no lock on the office row during the change: a
request in between may still get the page from before it for that moment, but no page is ever stored
under a version newer than its data. CSRF tokens are left as a hole, a value derived from SECRET_KEY, in
the stored page and filled per response; a request with flash messages to show is rendered afresh.
"""

from __future__ import annotations

import hashlib
from functools import cache, wraps

from django.contrib import messages
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from .models import Client, Employment, Membership, Office, User

PAGE_TIMEOUT = 10 * 60


@cache
def csrf_hole() -> str:
    """The stand-in for the CSRF token in a stored page: secret, so no user text can contain it."""
    return salted_hmac("cases.pagecache.csrf_hole", "hole").hexdigest()[:32]


def fill_csrf(body: str, request) -> str:
    return body.replace(
        f'name="csrfmiddlewaretoken" value="{csrf_hole()}"',
        f'name="csrfmiddlewaretoken" value="{get_token(request)}"',
    )


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
            request.page_cache_fill = {"csrf_token": csrf_hole()}
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            body = response.content.decode(response.charset)
            caches["pages"].set(key, body, PAGE_TIMEOUT)
            response.content = fill_csrf(body, request)
            return response
        return HttpResponse(fill_csrf(body, request))

    return wrapped


def bump_offices(office_ids):
    """Move the offices' data version on once the current transaction commits (at once outside one)."""
    ids = sorted({pk for pk in office_ids if pk is not None})
    if ids:
        transaction.on_commit(
            lambda: Office.objects.filter(pk__in=ids).update(data_version=F("data_version") + 1), robust=True
        )


OFFICE_OF = {  # how a changed row names its office, when not by its own office_id
    "Employment": "client__office_id",
}


def _remember_office(sender, instance, **kwargs):
    """Before an update: the office the row is in now, which the change may move it out of."""
    if not instance._state.adding and instance.pk is not None:
        path = OFFICE_OF.get(sender.__name__, "office_id")
        instance._office_before = sender.objects.filter(pk=instance.pk).values_list(path, flat=True).first()


def _row_changed(sender, instance, **kwargs):
    if sender is Employment:
        now = Client.objects.filter(pk=instance.client_id).values_list("office_id", flat=True).first()
    else:
        now = instance.office_id
    bump_offices([now, getattr(instance, "_office_before", None)])


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:  # every login: not on the page
        return
    bump_offices(
        [
            *Membership.objects.filter(user_id=instance.pk).values_list("office_id", flat=True),
            *Client.objects.filter(primary_staff_id=instance.pk)
            .values_list("office_id", flat=True)
            .distinct(),
        ]
    )


def _office_changed(sender, instance, created=False, **kwargs):
    if not created:
        bump_offices([instance.pk])


def watch(model) -> None:
    """Drop an office's cached pages when a row of `model` (with an office_id) changes. Upper apps whose
    rows a cached page shows call it from their AppConfig.ready() (flags for Flag), so cases imports none."""
    name = model.__name__
    pre_save.connect(_remember_office, sender=model, dispatch_uid=f"pagecache-{name}-before")
    post_save.connect(_row_changed, sender=model, dispatch_uid=f"pagecache-{name}-save")
    post_delete.connect(_row_changed, sender=model, dispatch_uid=f"pagecache-{name}-delete")


def _clients_changed(sender, office, **kwargs):
    bump_offices([office.pk])  # a bulk write (an import): once, whatever the number of rows


def connect():
    from .signals import clients_facts_changed

    for model in (Client, Membership, Employment):
        watch(model)
    clients_facts_changed.connect(_clients_changed, dispatch_uid="pagecache-clients-changed")
    post_save.connect(_user_changed, sender=User, dispatch_uid="pagecache-User-save")
    post_save.connect(_office_changed, sender=Office, dispatch_uid="pagecache-Office-save")
