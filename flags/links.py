"""Where each flag is fixed. Extend FIX_URLS as the visits and plans pages land."""

from django.urls import NoReverseMatch, reverse

from . import rules

# kind -> (url name, how to build its args from the flag). Every kind falls back to the client page.
FIX_URLS: dict[str, tuple[str, object]] = {
    # e.g. rules.NO_CONTACT_YET: ("visits:contact_create", lambda flag: [flag.client_id]),
    # e.g. rules.REVIEW_DUE: ("plans:review_create", lambda flag: [flag.client_id]),
}
DEFAULT_URL = ("cases:client_detail", lambda flag: [flag.client_id])
KNOWN_KINDS = rules.MONTH_KINDS + rules.DEADLINE_KINDS


def flag_fix_url(flag) -> str:
    """The page where `flag` is acted on; the client page until a more precise page exists."""
    name, args = FIX_URLS.get(flag.kind, DEFAULT_URL)
    try:
        return reverse(name, args=args(flag))
    except NoReverseMatch:
        name, args = DEFAULT_URL
        return reverse(name, args=args(flag))
