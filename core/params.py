"""Reading ids and numbers from GET/POST parameters without trusting them."""

import re

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
