from django import forms
from django.utils.translation import gettext_lazy as _

from cases import locks
from core.forms import DateInput, HardenedFormMixin
from core.locking import LockedFormMixin

from .models import PLAN_CONTENT_FIELDS, Consent, Handover, PlanReview, SupportPlan
from .services import HANDOVER_FIELDS, REVIEW_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class LockedForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    """A form carrying the row's lock_version, so a stale save can be refused (core/locking.py)."""


class PlanForm(LockedForm):
    class Meta:
        model = SupportPlan
        fields = list(PLAN_CONTENT_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "long_term_goal": forms.Textarea(attrs={"rows": 2}),
            "short_term_goals": TEXTAREA,
            "support_content": TEXTAREA,
            "accommodations": TEXTAREA,
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("終了日が開始日より前になっています。"))
        return cleaned


class ReviewForm(LockedForm):
    reason = locks.reason_field()  # needed when the day alters a locked month's plan in effect

    class Meta:
        model = PlanReview
        fields = list(REVIEW_FIELDS)
        widgets = {
            "reviewed_on": DateInput(),
            "findings": TEXTAREA,
            "client_view": TEXTAREA,
            "employer_view": TEXTAREA,
            "decision": forms.RadioSelect,
        }
        help_texts = {"decision": _("「見直す」を選ぶと、この計画をもとに新しい版の下書きが作られます。")}


class PlanDateForm(HardenedFormMixin, forms.Form):
    """One date for a status step (approval, consent, delivery)."""

    def __init__(self, *args, field_name, label, initial_date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[field_name] = forms.DateField(label=label, widget=DateInput(), initial=initial_date)
        self.fields["reason"] = locks.reason_field()


class HandoverForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Handover
        fields = list(HANDOVER_FIELDS)
        widgets = {
            "consent_on": DateInput(),
            "info_shared_on": DateInput(),
            "handed_over_on": DateInput(),
            "content": TEXTAREA,
            "documents": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "info_shared_on": _("支援期間終了の3か月前までに、本人の同意を得て共有・記録してください。"),
            "handed_over_on": _("引継ぎ日を入れると、利用者の状態が「引継ぎ済み」になります。"),
        }


class ConsentForm(HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_on", "document_note"]
        widgets = {"given_on": DateInput()}


class ConsentWithdrawForm(HardenedFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("撤回日"), widget=DateInput())
    reason = forms.CharField(label=_("撤回の理由"), max_length=500)


class ConsentCorrectForm(forms.Form):
    """Correct a consent recorded wrongly; the reason stays in its history."""

    given_on = forms.DateField(label=_("同意日"), widget=DateInput())
    withdrawn_on = forms.DateField(label=_("撤回日"), widget=DateInput(), required=False)
    document_note = forms.CharField(label=_("同意書類"), max_length=200, required=False)
    reason = forms.CharField(label=_("訂正の理由"), widget=forms.Textarea(attrs={"rows": 2}))
