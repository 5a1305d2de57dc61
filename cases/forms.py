import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, HardenedFormMixin
from core.locking import LockedFormMixin

from . import locks
from .models import BenefitDecision, Client, DisabilityCategory, Employer, Employment, WorkplaceKind
from .selectors import support_staff_of_office
from .services import CLIENT_FIELDS, DECISION_FIELDS, EMPLOYMENT_FIELDS

ASCII_TEN_DIGITS = re.compile(r"[0-9]{10}")


class ClientForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    disability_categories = forms.MultipleChoiceField(
        label=_("障害種別"),
        choices=DisabilityCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Client
        fields = list(CLIENT_FIELDS)
        widgets = {
            "birth_date": DateInput(),
            "prior_service_ended_on": DateInput(),
            "recipient_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 10}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office
        self.fields["primary_staff"].queryset = support_staff_of_office(office.pk)

    def clean_recipient_number(self):
        # half-width already (HardenedFormMixin); other scripts' digits (\d matches them) are refused
        # here, on the field, so the table's check constraint does not repeat the message
        value = self.cleaned_data["recipient_number"].strip()
        if not ASCII_TEN_DIGITS.fullmatch(value):
            raise forms.ValidationError(_("10桁の数字で入力してください。"))
        return value

    def clean_family_name_kana(self):
        return self.cleaned_data["family_name_kana"].strip()

    def clean_given_name_kana(self):
        return self.cleaned_data["given_name_kana"].strip()


class EmployerForm(HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "industry", "address", "contact_person", "phone"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office


class EmploymentForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    bounds = {"weekly_hours": (0, 168)}  # hours in a week

    class Meta:
        model = Employment
        fields = list(EMPLOYMENT_FIELDS)
        widgets = {"hired_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        self.fields["employer"].queryset = Employer.objects.filter(office_id=client.office_id)
        self.fields["workplace_kind"].required = False  # left out, a job is at a regular workplace

    def clean_workplace_kind(self):
        return self.cleaned_data.get("workplace_kind") or WorkplaceKind.REGULAR


class BenefitDecisionForm(LockedFormMixin, HardenedFormMixin, forms.ModelForm):
    reason = locks.reason_field()  # needed when the period touches a month locked for billing

    class Meta:
        model = BenefitDecision
        fields = list(DECISION_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "decided_on": DateInput(),
            "employment_proof_seen_on": DateInput(),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.client = client
        if not self.instance.pk and not self.initial.get("municipality"):
            self.initial["municipality"] = client.municipality

    # The date order is the model's rule (BenefitDecision.clean), said once beside 終了日.
