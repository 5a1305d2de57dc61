from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    CapManagementResult,
    ClientClaimProfile,
    ClientContract,
    OfficeAddonRegistration,
    OfficeReduction,
    RegionGrade,
)


class RegionForm(forms.Form):
    valid_from = forms.DateField(label=_("適用開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("級地"), choices=RegionGrade.choices)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)


class ClientClaimProfileForm(forms.ModelForm):
    class Meta:
        model = ClientClaimProfile
        fields = [
            "municipality_number",
            "cap_amount",
            "cap_management",
            "cap_manager_provider_number",
            "service_started_on",
            "initial_addon_excluded",
            "special_area",
        ]
        widgets = {"service_started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ClientContractForm(forms.ModelForm):
    """The contract entry of the 受給者証 (事業者記入欄), written as J121:05 in the months it covers."""

    class Meta:
        model = ClientContract
        fields = ["entry_number", "service_code", "amount", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CapResultForm(forms.ModelForm):
    month = forms.DateField(
        label=_("サービス提供年月"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = CapManagementResult
        fields = ["month", "result", "amount"]


class AddonRegistrationForm(forms.ModelForm):
    class Meta:
        model = OfficeAddonRegistration
        fields = ["code", "starts_on", "ends_on", "job_coach_name"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class OfficeReductionForm(forms.ModelForm):
    starts_month = forms.DateField(
        label=_("開始月"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    ends_month = forms.DateField(
        label=_("終了月"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("空欄は継続中"),
    )

    class Meta:
        model = OfficeReduction
        fields = ["code", "starts_month", "ends_month"]


class InterfaceSettingForm(forms.Form):
    form_type_number = forms.RegexField(
        label=_("様式種別番号（実績記録票 J611 項目7）"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("様式種別番号は数字4桁です。")},
        help_text=_("インタフェース仕様書で確認した値（様式番号2桁＋枝番2桁）"),
    )
    contract_required_items = forms.RegexField(
        label=_("契約情報レコード（J121:05）の必須項目"),
        regex=r"^([7-9]|1[01])(,([7-9]|1[01]))*$",
        required=False,
        error_messages={"invalid": _("7〜11の項目番号をカンマ区切りで入力してください（例: 7,9,10）。")},
        help_text=_("受給者証に契約の記載があるときに使います。項目番号7〜11をカンマ区切りで。"),
    )
    note = forms.CharField(label=_("確認した資料・備考"), max_length=300, required=False)


class ClaimBatchCreateForm(forms.Form):
    """A 月遅れ or correction batch of the page's month: the client-months picked."""

    kind = forms.ChoiceField(
        label=_("種類"),
        choices=[("late", _("月遅れ請求")), ("correction", _("過誤再請求"))],
        widget=forms.Select(attrs={"class": "form-select w-auto"}),
    )
    clients = forms.TypedMultipleChoiceField(label=_("対象の利用者"), coerce=int, choices=())

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].choices = choices
