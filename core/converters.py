"""Path converters that refuse what the database or `date()` cannot take, so such a URL is a 404
rather than a server error: `<id:pk>` (1–18 digits, within a 64-bit key), `<year:year>` (1900–2100)
and `<month:month>` (1–12)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    regex = "(?:19|20)[0-9]{2}|2100"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    regex = "0?[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


_registered = False


def register() -> None:
    global _registered
    if not _registered:
        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
        register_converter(MonthConverter, "month")
        _registered = True
