"""Words for the codes cases stores: one table per set of codes, for pages, exports and mails alike.

Choice fields take their labels from their TextChoices; this module adds what choices don't carry
(the window's end reasons, yes/no, lists of categories, dates) and `field_value_label`, which turns any
stored value of a cases field into what a person reads.
"""

from datetime import date, datetime

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import DisabilityCategory

END_REASON_LABELS = {
    rules.END_REASON_SECOND_CHANGE: _("2回目の転職により終了"),
    rules.END_REASON_GAP_TOO_LONG: _("離職から再就職まで1か月を超えたため終了"),
    rules.END_REASON_LEFT_JOB: _("離職により終了"),
}
YES_NO = {True: _("はい"), False: _("いいえ")}
# Fields whose codes come from a table here rather than from the field's choices.
FIELD_TABLES = {"window_end_reason": END_REASON_LABELS}
DISABILITY_LABELS = dict(DisabilityCategory.choices)


def date_label(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date) else str(value)


def field_value_label(field: models.Field, value, related_names: dict | None = None) -> str:
    """A stored value of `field` in words: choices by label, booleans as はい / いいえ, foreign keys by
    the related record's name (from `related_names`, keyed by (model, pk)), dates formatted."""
    if value is None or value == "" or value == []:
        return ""
    if field.name in FIELD_TABLES:
        return str(FIELD_TABLES[field.name].get(value, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(YES_NO[bool(value)])
    if field.name == "disability_categories" and isinstance(value, list):
        return "・".join(str(DISABILITY_LABELS.get(code, code)) for code in value)
    if isinstance(field, models.ForeignKey):
        name = (related_names or {}).get((field.related_model, value))
        return str(name) if name is not None else ""
    if isinstance(value, date | datetime):
        return date_label(value)
    return str(value)
