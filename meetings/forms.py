from datetime import date

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cases.models import Role, User
from core.forms import HardenedFormMixin
from plans.models import SupportPlan

from .models import FollowUp, Meeting, Organisation, OrganisationKind, RetentionTier

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(HardenedFormMixin, forms.ModelForm):
    client = forms.ModelChoiceField(label=_("利用者"), queryset=None)

    class Meta:
        model = Meeting
        fields = [
            "client",
            "kind",
            "held_on",
            "online",
            "place",
            "presenter_role",
            "presenter",
            "reported_to_manager_on",
            "discussed",
            "decided",
            "plan_changes",
            "new_plan",
        ]
        widgets = {
            "held_on": DATE,
            "reported_to_manager_on": DATE,
            "presenter_role": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "discussed": forms.Textarea(attrs={"rows": 4}),
            "decided": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reported_to_manager_on": _("サービス管理責任者以外が説明した場合（加算(II)）に入力します。"),
        }

    def __init__(self, *args, office, clients, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        if client is not None or self.instance.pk:
            self.fields["client"].disabled = True
            self.fields["client"].initial = client or self.instance.client
        self.fields["presenter"].queryset = User.objects.filter(
            memberships__office=office, memberships__role__in=[Role.STAFF, Role.MANAGER]
        ).order_by("last_name", "first_name", "pk")
        self.fields["presenter"].label_from_instance = lambda u: u.display_name
        current = client or (self.instance.client if self.instance.pk else None)
        plans = SupportPlan.objects.filter(client=current) if current else SupportPlan.objects.none()
        self.fields["new_plan"].queryset = plans.order_by("-version")
        self.fields["new_plan"].label_from_instance = lambda p: (
            _("第%(v)s版（%(s)s）")
            % {
                "v": p.version,
                "s": p.get_status_display(),
            }
        )


class AttendeeForm(HardenedFormMixin, forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100, required=False)
    organisation = forms.ModelChoiceField(
        label=_("所属機関"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("当事業所・本人・家族"),
    )
    new_organisation_name = forms.CharField(
        label=_("新しい関係機関（一覧にない場合）"), max_length=200, required=False
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("新しい関係機関の種別"),
        choices=[("", "---------"), *OrganisationKind.choices],
        required=False,
    )
    role = forms.CharField(label=_("役職・立場"), max_length=100, required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda o: f"{o.name}（{o.get_kind_display()}）"

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("new_organisation_name"):
            self.add_error(
                "new_organisation_name",
                _("一覧から選ぶか、新しい機関名を入力するか、どちらかにしてください。"),
            )
        if data.get("new_organisation_name") and not data.get("new_organisation_kind"):
            self.add_error("new_organisation_kind", _("新しい関係機関の種別を選んでください。"))
        if not data.get("name") and (
            data.get("organisation") or data.get("new_organisation_name") or data.get("role")
        ):
            self.add_error("name", _("出席者の氏名を入力してください。"))
        return data


def attendee_formset(data=None, *, organisations, initial=None, extra=3):
    formset_class = formset_factory(AttendeeForm, extra=extra, max_num=30, validate_max=True)
    return formset_class(
        data, initial=initial, prefix="attendees", form_kwargs={"organisations": organisations}
    )


class OrganisationForm(HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "phone", "note"]


class FollowUpForm(HardenedFormMixin, forms.ModelForm):
    year_end = forms.TypedChoiceField(label=_("年度末日"), choices=(), coerce=lambda v: v)

    class Meta:
        model = FollowUp
        fields = ["year_end", "still_employed", "left_on", "learned_by", "learned_on", "note"]
        widgets = {
            "left_on": DATE,
            "learned_on": DATE,
            "still_employed": forms.RadioSelect,
            "learned_by": forms.RadioSelect,
        }

    def __init__(self, *args, year_ends=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_end"].choices = [(d.isoformat(), d.strftime("%Y/%m/%d")) for d in year_ends]
        self.fields["learned_by"].required = False
        self.fields["learned_by"].choices = [c for c in self.fields["learned_by"].choices if c[0]]

    def clean_year_end(self):
        try:
            return date.fromisoformat(self.cleaned_data["year_end"])
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(_("年度末日を選んでください。")) from error


class TierConfirmForm(HardenedFormMixin, forms.Form):
    fiscal_year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    tier = forms.ChoiceField(label=_("届け出る区分"), choices=RetentionTier.choices)
    note = forms.CharField(label=_("備考"), max_length=500, required=False)


class DesignationForm(HardenedFormMixin, forms.Form):
    designated_on = forms.DateField(label=_("指定日"), widget=DATE)
