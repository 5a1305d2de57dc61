from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    CapManagementResult,
    ClientClaimProfile,
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
