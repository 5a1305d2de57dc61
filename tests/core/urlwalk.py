"""Every URL pattern of the URL configuration, with how to call it.

Named office URLs take their object and method from the access matrix (tests/test_access_matrix.py);
the Django admin's URLs are generated for every registered model; the few others are listed in EXTRA.
`walk()` yields one Call per pattern and fails on a pattern none of these covers, so a new URL without
an entry fails both the no-store walk and the fuzz walk.
"""

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import test_access_matrix as matrix

from ..factories import MembershipFactory, OfficeFactory, UserFactory, verify_otp

# Patterns outside the access matrix: (route as written, method, kwargs builder or None)
EXTRA = {
    "healthz": "get",  # unnamed on purpose
}


@dataclass
class Call:
    name: str
    method: str
    kwargs: dict
    role_index: int | None  # office role that may use it (index in matrix.ROLES); None: superuser / anonymous
    admin: bool = False
    args: tuple = ()
    route: str = ""  # for an unnamed pattern: its route, converters filled from kwargs

    @property
    def url(self) -> str:
        if not self.route:
            return reverse(self.name, args=self.args) if self.args else reverse(self.name, kwargs=self.kwargs)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(self.kwargs.get(m.group(1), "1")), self.route)


def patterns(resolver=None, namespace="", prefix=""):
    """(full name or route, URLPattern, namespace) of every pattern, walking includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else prefix + str(entry.pattern)
            yield name, entry, namespace, "" if entry.name else prefix + str(entry.pattern)


def _first_allowed(statuses) -> int:
    for index, status in enumerate(statuses):
        if status in (200, 302):
            return index
    return 0


def walk(office):
    """One Call per URL pattern, objects built in `office`."""
    built = {}
    for name, entry, namespace, route in patterns():
        if route.startswith("admin/^") or "(?P<url>" in route:
            continue  # the admin's catch-all (a 404 for any other path): nothing of its own to walk
        params = set(getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex)
        if namespace.startswith("admin:"):
            kwargs = {}
            if "object_id" in params:
                kwargs["object_id"] = "1"
            if "app_label" in params:
                kwargs["app_label"] = "cases"
            for other in params - {"object_id", "app_label"}:
                kwargs[other] = "1"
            positional = entry.pattern.regex.groups - len(entry.pattern.regex.groupindex)
            args = ("1",) * positional if positional and not kwargs else ()
            yield Call(name, "get", kwargs, None, admin=True, args=args, route=route)
        elif name in matrix.OBJECT_URLS:
            kind, method, *statuses = matrix.OBJECT_URLS[name]
            if kind not in built:
                built[kind] = matrix.OBJECTS[kind](office)
            kwargs = {k: v for k, v in built[kind].items() if k in params}
            yield Call(name, method, kwargs, _first_allowed(statuses))
        elif name in matrix.OFFICE_URLS:
            method, *statuses = matrix.OFFICE_URLS[name]
            yield Call(name, method, {}, _first_allowed(statuses))
        elif name in EXTRA:
            yield Call(name, EXTRA[name], {}, 0, route=route)
        else:
            raise AssertionError(f"URL {name!r} has no entry: add it to the access matrix or tests/core/urlwalk.py")


def registered_admin_models():
    return list(admin.site._registry)


def sign_in(client, office, call: Call):
    """Sign in as a member allowed on the URL, or as a verified superuser for the Django admin."""
    if call.admin:
        user = UserFactory(is_superuser=True, is_staff=True)
        client.force_login(user)
        verify_otp(client, user)
    else:
        client.force_login(MembershipFactory(office=office, role=matrix.ROLES[call.role_index]).user)


def fresh_office():
    return OfficeFactory()
