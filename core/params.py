"""Reading ids and numbers from GET/POST parameters without trusting them."""

import re

from django.utils.http import url_has_allowed_host_and_scheme

_ID = re.compile(r"[0-9]{1,18}")


def id_param(value) -> int | None:
    """A positive id from a parameter value, or None for anything else ('abc', '²', '-1', 20 digits)."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number or None


def safe_next(request, candidate) -> str | None:
    """A `next` target on this site (a path starting with one slash), or None. `redirect()` would take
    anything else ('0', 'home') for a view name and fail."""
    if not candidate or not isinstance(candidate, str) or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return None
