from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import REASON_MAX_LENGTH, DateInput, HardenedFormMixin
from core.locking import LockedFormMixin

from .models import (
    FACE_TO_FACE_OVERRIDABLE_KINDS,
    ContactKind,
    ContactLog,
    ShareMethod,
    SupportReport,
    Topic,
)


def _bootstrap(form) -> None:
    """Bootstrap classes for fields rendered by hand (the phone form draws choices as toggle buttons)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "btn-check"
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-lg"
        else:
            widget.attrs["class"] = "form-control"
    form.fields["on"].widget.attrs["class"] = "form-control form-control-lg"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ContactForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    """Record or change a contact. 対面 is derived from the kind; the box matters only for a case meeting."""

    topics = forms.MultipleChoiceField(
        label=_("話題"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(
        label=_("変更の理由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("請求後に締めた月の記録を変更するときは必須です。"),
    )

    class Meta:
        model = ContactLog
        fields = [
            "client",
            "on",
            "kind",
            "face_to_face",
            "started_at",
            "minutes",
            "employer_met",
            "place",
            "topics",
            "narrative",
            "next_actions",
        ]
        widgets = {
            "on": DateInput(),
            "kind": forms.RadioSelect,
            "started_at": TimeInput(),
            "minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 600, "step": 5}),
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "next_actions": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "face_to_face": _(
                "本人面談・職場訪問は自動で対面になります。ケース会議に本人が出席した場合のみチェックしてください。"
            ),
        }

    def __init__(self, *args, clients=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
            self.fields["client"].empty_label = _("利用者を選ぶ")
        if not self.instance.pk:
            self.initial.setdefault("on", timezone.localdate())
            self.initial.setdefault("kind", ContactKind.INTERVIEW)
        self.fields["kind"].choices = ContactKind.choices
        _bootstrap(self)
        self.fields["on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["face_to_face"].label = _("本人が対面で参加した（ケース会議）")

    def clean_face_to_face(self):
        # The service derives the flag again; here only keep the user's tick where it may count.
        value = self.cleaned_data.get("face_to_face", False)
        kind = self.data.get(self.add_prefix("kind"))
        return bool(value) and kind in FACE_TO_FACE_OVERRIDABLE_KINDS


class ContactDeleteForm(HardenedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消の理由"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


def locked_reason_field():
    return forms.CharField(
        label=_("変更の理由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("請求後に締めた月の記録を変更するときは必須です。"),
    )


class ReportForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    reason = locked_reason_field()

    class Meta:
        model = SupportReport
        fields = ["work_situation", "life_situation", "issues", "support_given", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class ReportShareForm(HardenedFormMixin, forms.Form):
    reason = locked_reason_field()
    shared_with_client_on = forms.DateField(label=_("本人への共有日"), widget=DateInput())
    share_method = forms.ChoiceField(
        label=_("共有方法"), choices=ShareMethod.choices, widget=forms.RadioSelect
    )
    shared_with_employer_on = forms.DateField(
        label=_("企業への共有日"),
        required=False,
        widget=DateInput(),
        help_text=_("障害を開示（オープン）して就労し、企業への共有に本人の同意がある場合のみ。"),
    )

    def __init__(self, *args, employer_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not employer_allowed:
            del self.fields["shared_with_employer_on"]
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])
