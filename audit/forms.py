from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HardenedFormMixin, to_half_width


class TokenForm(HardenedFormMixin, forms.Form):
    """A 6-digit code from the authenticator app, or one of the user's recovery codes (8 letters/digits)."""

    token = forms.RegexField(
        label=_("確認コード（6桁）または回復コード"),
        regex=r"^(\d{6}|[a-z2-7]{8})$",
        max_length=20,
        error_messages={"invalid": _("6桁の数字、または8文字の回復コードを入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "token" in data:
            data = data.copy()
            data["token"] = to_half_width(str(data["token"])).strip().replace(" ", "").lower()
        super().__init__(data, *args, **kwargs)
