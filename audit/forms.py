from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HardenedFormMixin


class TokenForm(HardenedFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("確認コード（6桁）"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("6桁の数字を入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
