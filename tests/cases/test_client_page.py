"""The client page shows employments, decisions and the window; another office's client is a 404."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from ..factories import ClientFactory, client_in_service

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 23))
def test_client_page_shows_window_and_progress(as_staff, office):
    client = client_in_service(office=office, hired_on=date(2025, 1, 6))
    response = as_staff.get(reverse("cases:client_detail", args=[client.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2025年7月6日" in body  # window start
    assert "2028年7月5日" in body  # window end
    assert "17 / 37か月" in body  # a mid-month window touches 37 calendar months
    assert "支援中" in body


def test_other_offices_client_is_404_in_japanese(as_staff, other_office):
    foreign = ClientFactory(office=other_office)
    response = as_staff.get(reverse("cases:client_detail", args=[foreign.pk]))
    assert response.status_code == 404


def test_login_page_is_japanese(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "ログイン" in body and "パスワード" in body


def test_anonymous_user_is_sent_to_login(client, office):
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_office_sees_explanation(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="x" * 16)
    client.force_login(user)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 403
    assert "所属事業所がありません" in response.content.decode()
