"""Input hardening every form shares: lengths the database agrees with, full-width digits read as
half-width, and sane ranges for numbers and dates.

`HardenedFormMixin` goes first in a form's bases (`class ContactForm(HardenedFormMixin, forms.ModelForm)`):

- a text field without a length gets TEXT_MAX_LENGTH (the database's text columns have none, so any
  limit agrees); a CharField mapped to a column keeps the column's max_length (ModelForm copies it);
- a reason that goes into the history's `history_change_reason` (varchar 100) uses `reason_field()`;
- digits typed in IME mode (０-９, full-width hyphen/minus) in a number, date or time field, or in a field
  whose widget says `inputmode="numeric"` (受給者証番号), are read as half-width before validation;
- a date must lie in 1900–2100 and a number be 0 or more and within a 32-bit column, unless the form
  set its own bounds.
"""

from datetime import date
from functools import cache

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
INT_MAX = 2_147_483_647
HALF_WIDTH = str.maketrans("０１２３４５６７８９－ー−：／", "0123456789---:/")

NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateField, forms.TimeField)


class DateInput(forms.DateInput):
    """A browser date picker, its value ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def reason_field(label, *, required=True, help_text="", rows=2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def to_half_width(value):
    return value.translate(HALF_WIDTH) if isinstance(value, str) else value


def _has_validator(field, kind) -> bool:
    return any(isinstance(v, kind) for v in field.validators)


def harden_field(field: forms.Field) -> None:
    if isinstance(field, forms.CharField) and not isinstance(field, forms.RegexField | forms.EmailField):
        if field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
            field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        if not _has_validator(field, MinValueValidator):
            field.validators.append(
                MinValueValidator(DATE_MIN, message=_("1900年1月1日以降の日付を入力してください。"))
            )
            field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
        if not _has_validator(field, MaxValueValidator):
            field.validators.append(
                MaxValueValidator(DATE_MAX, message=_("2100年12月31日以前の日付を入力してください。"))
            )
            field.widget.attrs.setdefault("max", DATE_MAX.isoformat())
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if field.min_value is None and not _has_validator(field, MinValueValidator):
            field.min_value = 0
            field.validators.append(MinValueValidator(0, message=_("0以上の数を入力してください。")))
            field.widget.attrs.setdefault("min", "0")
        if field.max_value is None and not _has_validator(field, MaxValueValidator):
            field.max_value = INT_MAX
            field.validators.append(MaxValueValidator(INT_MAX))


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice list (an office's staff, clients, organisations) read with one plain query. Django's
    iterator streams it through a server-side cursor on PostgreSQL: DECLARE … WITH HOLD, FETCH and CLOSE,
    three round trips for a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


@cache
def _listed(iterator_class: type) -> type:
    if issubclass(iterator_class, ListedChoiceIterator):
        return iterator_class
    if iterator_class is ModelChoiceIterator:
        return ListedChoiceIterator
    # a subclass keeps its additions (django-filter's null choice) over the plain read
    return type(f"Listed{iterator_class.__name__}", (iterator_class, ListedChoiceIterator), {})


def list_choices(field: forms.Field) -> None:
    """A ModelChoiceField (or multiple) reads its choices with ListedChoiceIterator."""
    if isinstance(field, forms.ModelChoiceField) and field.iterator is not _listed(field.iterator):
        field.iterator = _listed(field.iterator)
        field.widget.choices = field.choices


def _is_numeric(field) -> bool:
    return isinstance(field, NUMERIC_FIELDS) or field.widget.attrs.get("inputmode") == "numeric"


#: The project's forms and filter bars render their widgets with Django's Jinja2 renderer: the same HTML as
#: the template engine's, faster (about 1 ms on the caseload's filter bar). The admin keeps FORM_RENDERER:
#: its widget wrappers exist only as Django templates.
WIDGET_RENDERER = Jinja2()


class HardenedFormMixin:
    default_renderer = WIDGET_RENDERER
    #: per-field (minimum, maximum) for numbers the defaults do not bound well, e.g. weekly hours
    bounds: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.bounds.items():
            field = self.fields.get(name)
            if field is not None:
                field.min_value, field.max_value = low, high
                field.validators += [MinValueValidator(low), MaxValueValidator(high)]
                field.widget.attrs.update({"min": str(low), "max": str(high)})
        for field in self.fields.values():
            harden_field(field)
            list_choices(field)

    def full_clean(self):
        # again here: a form may add fields after __init__ (plans' PlanDateForm)
        for field in self.fields.values():
            harden_field(field)
            list_choices(field)
        if self.is_bound:
            self.data = self._half_width_data(self.data)
        super().full_clean()

    def _half_width_data(self, data):
        keys = [self.add_prefix(name) for name, field in self.fields.items() if _is_numeric(field)]
        keys = [key for key in keys if key in data]
        if not keys:
            return data
        data = data.copy()
        for key in keys:
            if hasattr(data, "setlist"):
                data.setlist(key, [to_half_width(v) for v in data.getlist(key)])
            else:
                data[key] = to_half_width(data[key])
        return data


class WithdrawForm(HardenedFormMixin, forms.Form):
    """Withdrawing a record entered by mistake: the reason is required (kept in the record's history)."""

    reason = reason_field(_("取消の理由"), rows=3)
