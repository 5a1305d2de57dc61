import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import BootstrapFilterSet

from .models import FLAG_KIND_CHOICES, Flag, Severity


class FlagFilter(BootstrapFilterSet):
    kind = django_filters.ChoiceFilter(label=_("種類"), choices=FLAG_KIND_CHOICES, empty_label=_("すべて"))
    severity = django_filters.ChoiceFilter(
        label=_("重要度"), choices=Severity.choices, empty_label=_("すべて")
    )
    resolved = django_filters.BooleanFilter(
        label=_("解消済みも表示"), method="filter_resolved", widget=forms.CheckboxInput
    )

    class Meta:
        model = Flag
        fields = ["kind", "severity", "resolved"]

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("resolved"):
            queryset = queryset.filter(resolved_at__isnull=True)
        return queryset

    def filter_resolved(self, queryset, name, value):
        return queryset
