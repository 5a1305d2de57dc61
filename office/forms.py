from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Office, Role, User

METHOD_LINK, METHOD_PASSWORD = "link", "password"
METHODS = [
    (METHOD_LINK, _("設定用リンクを発行する（本人がパスワードを決める・1回限り）")),
    (METHOD_PASSWORD, _("初期パスワードを設定する（初回ログイン時に変更）")),
]


class InitialPasswordMixin(forms.Form):
    method = forms.ChoiceField(
        label=_("パスワードの渡し方"), choices=METHODS, initial=METHOD_LINK, widget=forms.RadioSelect
    )
    password = forms.CharField(
        label=_("初期パスワード"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text=_("13文字以上。「初期パスワードを設定する」を選んだときだけ入力します。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == METHOD_PASSWORD and not cleaned.get("password"):
            self.add_error("password", _("初期パスワードを入力してください。"))
        if cleaned.get("method") == METHOD_LINK:
            cleaned["password"] = None
        return cleaned


class StaffCreateForm(InitialPasswordMixin):
    username = forms.RegexField(
        label=_("ユーザー名"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("半角英数字と @ . + - _ で入力してください。")},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    last_name = forms.CharField(label=_("姓"), max_length=150)
    first_name = forms.CharField(label=_("名"), max_length=150)
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices, initial=Role.STAFF)

    field_order = ["username", "last_name", "first_name", "email", "role", "method", "password"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=Role.choices)


class PasswordResetForm(InitialPasswordMixin):
    pass


class OfficeSettingsForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "require_two_factor",
            "online_counts_as_face_to_face",
            "record_retention_years",
            "handover_policy",
            "handover_officer",
        ]
        widgets = {"handover_policy": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handover_officer"].queryset = User.objects.filter(
            memberships__office=self.instance, is_active=True
        ).order_by("last_name", "first_name", "id")


def _service_fields(form, names):
    return {name: form.cleaned_data[name] for name in names}


StaffCreateForm.cleaned_data_for_service = lambda self: _service_fields(
    self, ["username", "last_name", "first_name", "email", "role", "password"]
)
