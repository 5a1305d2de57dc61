"""The URLs of the navigation and the account menu on every page (base.html, nav_items.html), reversed
once per process instead of by about twenty {% url %} tags a request: `{{ nav.cases_caseload }}`."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

NAMES = (
    "home", "logout", "set_language", "admin:index",
    "audit:access_log", "audit:recovery_codes", "audit:session_list", "audit:two_factor_setup",
    "cases:caseload", "cases:employer_list", "cases:office_switch",
    "claims:office_month", "flags:mine", "flags:office", "meetings:meeting_list", "meetings:rates",
    "office:password_change", "office:staff_list", "plans:dashboard",
    "visits:billing", "visits:contact_create", "visits:my_month", "visits:office_month",
)  # fmt: skip


@lru_cache(maxsize=16)
def _urls(prefix: str, urlconf) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name, urlconf=urlconf) for name in NAMES}


def nav(request):
    return {"nav": _urls(get_script_prefix(), get_urlconf())}
