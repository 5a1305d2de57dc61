import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Client, User
from core.filters import BootstrapFilterSet

from .models import AccessKind, AccessLog


def _office_users(request):
    return User.objects.filter(memberships__office_id=request.membership.office_id).order_by("username")


def _office_clients(request):
    return Client.objects.filter(office_id=request.membership.office_id).order_by("family_name_kana")


class AccessLogFilter(BootstrapFilterSet):
    user = django_filters.ModelChoiceFilter(label=_("ユーザー"), queryset=_office_users, empty_label=_("全員"))
    client = django_filters.ModelChoiceFilter(
        label=_("利用者"), queryset=_office_clients, empty_label=_("すべて")
    )
    kind = django_filters.ChoiceFilter(label=_("種別"), choices=AccessKind.choices, empty_label=_("すべて"))
    date_from = django_filters.DateFilter(
        label=_("開始日"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("終了日"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AccessLog
        fields = ["user", "client", "kind", "date_from", "date_to"]
