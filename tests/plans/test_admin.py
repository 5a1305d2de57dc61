"""The Django admin lists and opens every plans model."""

import pytest
from django.urls import reverse

from ..factories import ConsentFactory, HandoverFactory, PlanReviewFactory, UserFactory, verify_otp

pytestmark = pytest.mark.django_db


def test_admin_pages_open(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    review = PlanReviewFactory()
    objects = {
        "supportplan": review.plan,
        "planreview": review,
        "handover": HandoverFactory(),
        "consent": ConsentFactory(),
    }
    for name, obj in objects.items():
        assert client.get(reverse(f"admin:plans_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:plans_{name}_change", args=[obj.pk])).status_code == 200
