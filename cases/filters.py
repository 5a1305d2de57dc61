import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import BootstrapFilterSet

from . import rules
from .models import Client, ClientStatus
from .selectors import search_clients, support_staff_of_office

PHASE_LABELS = {
    rules.PHASE_NONE: _("未就職・未登録"),
    rules.PHASE_BEFORE: _("準備中"),
    rules.PHASE_ACTIVE: _("支援中"),
    rules.PHASE_ENDING: _("終了間近"),
    rules.PHASE_ENDED: _("終了"),
}


class ClientFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("検索"),
        method="filter_text",
        widget=forms.TextInput(attrs={"placeholder": _("氏名・フリガナ・受給者証番号"), "type": "search"}),
    )
    primary_staff = django_filters.ModelChoiceFilter(label=_("担当"), queryset=None, empty_label=_("全員"))
    status = django_filters.ChoiceFilter(
        label=_("状態"), choices=ClientStatus.choices, empty_label=_("すべて")
    )
    phase = django_filters.ChoiceFilter(
        label=_("支援期間"),
        choices=list(PHASE_LABELS.items()),
        method="filter_phase",
        empty_label=_("すべて"),
    )
    archived = django_filters.BooleanFilter(
        label=_("アーカイブを表示"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Client
        fields = ["q", "primary_staff", "status", "phase", "archived"]

    def __init__(self, *args, office_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["primary_staff"].queryset = support_staff_of_office(office_id)

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("archived"):
            queryset = queryset.filter(archived=False)
        return queryset

    def filter_text(self, queryset, name, value):
        return search_clients(queryset, value)

    def filter_phase(self, queryset, name, value):
        return queryset.in_phase(value, timezone.localdate())

    def filter_archived(self, queryset, name, value):
        return queryset
