"""Model choice lists are read with one plain query (core.forms.ListedChoiceIterator), in forms and in
filter bars alike, with the same choices as Django's iterator gives."""

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Client, User
from core.filters import BootstrapFilterSet
from core.forms import HardenedFormMixin

from ..factories import client_in_service

pytestmark = pytest.mark.django_db


class StaffForm(HardenedFormMixin, forms.Form):
    staff = forms.ModelChoiceField(queryset=User.objects.order_by("pk"), empty_label="全員")
    helpers = forms.ModelMultipleChoiceField(queryset=User.objects.order_by("pk"), required=False)


class StaffFilter(BootstrapFilterSet):
    primary_staff = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("pk"), empty_label="全員", null_label="担当なし"
    )

    class Meta:
        model = Client
        fields = ["primary_staff"]


def test_a_form_lists_its_choices_with_one_plain_query(staff, manager):
    form = StaffForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["staff"]) + str(form["helpers"])
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "SELECT"]  # no DECLARE
    expected = [("", "全員")] + [(u.pk, str(u)) for u in (staff, manager)]
    assert [(c[0] if c[0] == "" else c[0].value, c[1]) for c in form.fields["staff"].choices] == expected
    assert f'value="{manager.pk}"' in html and "全員" in html


def test_a_filter_bar_keeps_django_filters_null_choice(office, staff):
    client_in_service(office=office, primary_staff=staff)
    bar = StaffFilter({"primary_staff": str(staff.pk)}, queryset=Client.objects.all())
    assert bar.form.is_valid()  # the chosen one read by its own query
    with CaptureQueriesContext(connection) as queries:
        html = str(bar.form["primary_staff"])
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]
    labels = [c[1] for c in bar.form.fields["primary_staff"].choices]
    assert labels[:2] == ["全員", "担当なし"] and str(staff) in labels
    assert f'value="{staff.pk}" selected' in html
    assert list(bar.qs) == list(Client.objects.filter(primary_staff=staff))
