"""URLs for the rows of a page, reversed once and formatted per row.

`path_format("visits:report_detail", "id", "year", "month").format(client.pk, 2026, 11)` gives what
`reverse("visits:report_detail", args=[client.pk, 2026, 11])` gives, without resolving the pattern again
for every row of a long list. The arguments are the path converters of the pattern, in order
(core/converters.py); the values formatted in must be what the converters take (integers).
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# A value each converter accepts that no fixed path segment spells (less the argument's place).
SAMPLES = {"id": 987654321987654321, "year": 2099, "month": 12}


def path_format(name: str, *kinds: str) -> str:
    return _path_format(name, kinds, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=256)
def _path_format(name: str, kinds: tuple[str, ...], prefix: str, urlconf) -> str:
    samples = [str(SAMPLES[kind] - index) for index, kind in enumerate(kinds)]  # each its own
    url = reverse(name, args=samples, urlconf=urlconf)
    segments = url.replace("{", "{{").replace("}", "}}").split("/")
    for index, sample in enumerate(samples):
        [at] = [i for i, segment in enumerate(segments) if segment == sample]  # exactly one: a sample
        segments[at] = f"{{{index}}}"
    return "/".join(segments)


def ids_path(name: str, *ids: int) -> str:
    """reverse(name, args=ids) for a pattern whose arguments are all ids, from its path format; other
    patterns are reversed."""
    pattern = _ids_format(name, len(ids), get_script_prefix(), get_urlconf())
    return pattern.format(*ids) if pattern is not None else reverse(name, args=ids)


@lru_cache(maxsize=512)
def _ids_format(name: str, count: int, prefix: str, urlconf) -> str | None:
    try:
        return _path_format(name, ("id",) * count, prefix, urlconf)
    except NoReverseMatch:
        return None
