"""Every view of a client's file, login, failed login, logout and refused access leaves one row;
rows are never changed; admins browse, filter and download them."""

import csv
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from audit.csv_export import safe_cell
from audit.log import log_access
from audit.models import AccessKind, AccessLog, AppendOnlyError

from ..factories import ClientFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_opening_a_client_page_writes_one_row(as_staff, staff, office):
    client = ClientFactory(office=office)
    response = as_staff.get(reverse("cases:client_detail", args=[client.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    row = AccessLog.objects.get(kind=AccessKind.VIEW)
    assert (row.user, row.office, row.client, row.page) == (staff, office, client, "cases:client_detail")
    assert row.ip == "10.1.2.3"
    assert row.path == f"/clients/{client.pk}/"


def test_log_access_is_one_insert_and_no_read(staff, office, django_assert_num_queries):
    client = ClientFactory(office=office)
    request = RequestFactory().get("/x/")
    request.user = staff
    request.membership = staff.memberships.select_related("office").get()
    with django_assert_num_queries(1) as ctx:
        log_access(request, client=client, page="test:page", export="a.csv")
    assert ctx.captured_queries[0]["sql"].startswith("INSERT")
    assert AccessLog.objects.get().kind == AccessKind.EXPORT


def test_login_failed_login_and_logout_are_logged(client, office):
    user = MembershipFactory(office=office).user
    client.post(reverse("login"), {"username": user.username, "password": "wrong-password-123"})
    client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})
    client.post(reverse("logout"))
    kinds = list(AccessLog.objects.order_by("id").values_list("kind", "username"))
    assert kinds == [
        (AccessKind.LOGIN_FAILED, user.username),
        (AccessKind.LOGIN, user.username),
        (AccessKind.LOGOUT, user.username),
    ]
    assert AccessLog.objects.get(kind=AccessKind.LOGIN).office == office


def test_other_offices_client_and_wrong_role_are_logged_as_refused(as_staff, staff, other_office, office):
    foreign = ClientFactory(office=other_office)
    assert as_staff.get(reverse("cases:client_detail", args=[foreign.pk])).status_code == 404
    assert as_staff.get(reverse("audit:access_log")).status_code == 403
    refused = AccessLog.objects.filter(kind=AccessKind.REFUSED).order_by("id")
    assert [(r.page, r.user_id, r.office_id) for r in refused] == [
        ("cases:client_detail", staff.pk, office.pk),
        ("audit:access_log", staff.pk, office.pk),
    ]


def test_rows_cannot_be_changed_or_deleted(staff):
    row = AccessLog.objects.create(kind=AccessKind.VIEW, user=staff, page="p")
    row.page = "changed"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(page="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).page == "p"


def test_django_admin_is_read_only_and_for_superusers_only(client, staff):
    model_admin = admin.site._registry[AccessLog]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # not a superuser: sent to the admin login
    client.force_login(request.user)
    assert client.get("/admin/audit/accesslog/").status_code == 302  # a superuser too needs a second factor
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=request.user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get("/admin/audit/accesslog/").status_code == 200


def test_admin_filters_the_office_log_by_user_client_kind_and_date(as_admin, office, other_office, staff):
    mine, theirs = ClientFactory(office=office), ClientFactory(office=other_office)
    AccessLog.objects.create(kind=AccessKind.VIEW, user=staff, username=staff.username, office=office, client=mine, page="own")
    AccessLog.objects.create(kind=AccessKind.VIEW, office=other_office, client=theirs, page="foreign-office")
    url = reverse("audit:access_log")
    body = as_admin.get(url).content.decode()
    assert "own" in body and "foreign-office" not in body
    body = as_admin.get(url, {"user": staff.pk, "client": mine.pk, "kind": "view"}).content.decode()
    assert ">own<" in body
    body = as_admin.get(url, {"kind": "export"}).content.decode()
    assert ">own<" not in body
    assert ">own<" not in as_admin.get(url, {"date_from": "2999-01-01"}).content.decode()
    assert ">own<" in as_admin.get(url, {"date_from": "2000-01-01", "date_to": "2999-01-01"}).content.decode()


def test_only_admins_see_the_log(as_manager):
    assert as_manager.get(reverse("audit:access_log")).status_code == 403
    assert as_manager.get(reverse("audit:access_log_csv")).status_code == 403


def test_csv_download_is_filtered_escaped_and_logged(as_admin, office, staff):
    client = ClientFactory(office=office, family_name="=HYPERLINK")
    AccessLog.objects.create(kind=AccessKind.VIEW, user=staff, username="@evil", office=office, client=client, page="-p")
    AccessLog.objects.create(kind=AccessKind.LOGIN, user=staff, username=staff.username, office=office, page="login")
    response = as_admin.get(reverse("audit:access_log_csv"), {"kind": "view"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "日時"
    data = [r for r in rows[1:] if r[6] != "audit:access_log_csv"]
    assert len(data) == 1
    assert data[0][2] == "'@evil" and data[0][5].startswith("'=HYPERLINK") and data[0][6] == "'-p"
    assert AccessLog.objects.filter(kind=AccessKind.EXPORT, page="audit:access_log_csv").count() == 1


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_formula_cells_are_escaped(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("山田") == "山田"


def test_nav_shows_access_log_link_to_admins_only(as_admin):
    assert reverse("audit:access_log") in as_admin.get(reverse("cases:caseload")).content.decode()


@pytest.mark.parametrize("rows", [3, 60])
def test_access_log_page_query_count_does_not_grow(as_admin, office, staff, rows, django_assert_max_num_queries):
    client = ClientFactory(office=office)
    AccessLog.objects.bulk_create(
        AccessLog(kind=AccessKind.VIEW, user=staff, username=staff.username, office=office, client=client, page="p")
        for _ in range(rows)
    )
    with django_assert_max_num_queries(10):
        response = as_admin.get(reverse("audit:access_log"))
    assert response.status_code == 200
