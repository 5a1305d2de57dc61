"""The month's claim page: create, check, finalize after a confirmation, download (recorded), 月遅れ and
correction batches picked from the month's client-months; managers read; the command export_claim."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AccessLog
from claims.models import ClaimBatch, ClaimFileDownload, ClaimItem, OfficeInterfaceSetting

from ..factories import ContactLogFactory
from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
PAGE = reverse("claims:office_month") + "?month=2025-09"


def ready(office, admin_user, staff, manager, n=1):
    ready_office(office, admin_user)
    OfficeInterfaceSetting.objects.create(office=office, form_type_number="0101")
    return [billable_client(office, staff, manager, service_started_on=date(2025, 7, 7)) for _ in range(n)]


def test_an_admin_takes_the_month_from_preview_to_files(client, office, staff, manager, admin_user):
    ready(office, admin_user, staff, manager, n=2)
    client.force_login(admin_user)
    html = client.get(PAGE).content.decode()
    assert "この月の請求を作成してエラーチェックする" in html
    response = client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    assert response.status_code == 302
    batch = ClaimBatch.objects.get(office=office, service_month=SEPT)
    assert batch.state == "checked" and batch.items.count() == 2
    html = client.get(PAGE).content.decode()
    assert "確定へ進む" in html
    confirm = client.get(reverse("claims:claim_batch_finalize", args=[batch.pk]))
    assert "確定してファイルを作成する" in confirm.content.decode()
    batch.refresh_from_db()
    assert batch.state == "checked"  # the confirmation page changes nothing
    client.post(reverse("claims:claim_batch_finalize", args=[batch.pk]), {"confirm": "1"})
    batch.refresh_from_db()
    assert batch.state == "written" and batch.finalized_by == admin_user
    html = client.get(PAGE).content.decode()
    assert "SEIKYU.CSV" in html and "MEISAI.CSV" in html and "JISSEKI.CSV" in html
    file = batch.files.get(name="MEISAI.CSV")
    response = client.get(reverse("claims:claim_file_download", args=[file.pk]))
    assert response.status_code == 200 and response.content == bytes(file.content)
    assert response["Content-Disposition"] == 'attachment; filename="MEISAI.CSV"'
    assert ClaimFileDownload.objects.get(file=file).user == admin_user
    assert AccessLog.objects.filter(page="claims:claim_file_download").exists()
    html = client.get(PAGE).content.decode()
    assert "ダウンロードの記録" in html and "MEISAI.CSV" in html


def test_the_error_list_links_to_each_fix(client, office, staff, manager, admin_user):
    ready_office(office, admin_user)
    c = billable_client(office, staff, manager)  # no 利用開始日; the office has no 様式種別番号
    client.force_login(admin_user)
    client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    html = client.get(PAGE).content.decode()
    assert "利用開始日" in html and reverse("claims:client_profile", args=[c.pk]) in html
    assert "様式種別番号" in html and reverse("claims:interface_settings") in html
    assert "確定へ進む" not in html
    batch = ClaimBatch.objects.get()
    client.post(reverse("claims:claim_batch_finalize", args=[batch.pk]), {"confirm": "1"})
    batch.refresh_from_db()
    assert batch.state == "draft"


def test_the_office_sets_the_form_type_number(client, office, admin_user):
    client.force_login(admin_user)
    url = reverse("claims:interface_settings")
    html = client.post(url, {"form_type_number": "12a"}).content.decode()
    assert "様式種別番号は数字4桁です。" in html
    assert not OfficeInterfaceSetting.objects.exists()
    client.post(url, {"form_type_number": "0101", "contract_required_items": "7,9"})
    setting = OfficeInterfaceSetting.objects.get(office=office)
    assert setting.form_type_number == "0101" and setting.contract_items == {7, 9}


def test_a_manager_reads_the_page_without_the_buttons(client, office, staff, manager, admin_user):
    ready(office, admin_user, staff, manager)
    client.force_login(admin_user)
    client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    client.force_login(manager)
    html = client.get(PAGE).content.decode()
    assert "通常請求" in html and "エラーチェック" not in html and "確定へ進む" not in html
    batch = ClaimBatch.objects.get()
    assert client.post(reverse("claims:claim_batch_check", args=[batch.pk])).status_code == 403


def test_late_and_correction_batches_are_picked_on_the_page(client, office, staff, manager, admin_user):
    first, second = ready(office, admin_user, staff, manager, n=2)
    client.force_login(admin_user)
    client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    regular = ClaimBatch.objects.get()
    # one client is left out (their month cannot be put right in time); the others go ahead
    client.post(reverse("claims:claim_batch_exclude", args=[regular.pk]), {"client": second.pk})
    regular.refresh_from_db()
    assert regular.state == "draft" and not regular.items.filter(client=second).exists()
    client.post(reverse("claims:claim_batch_check", args=[regular.pk]))
    assert not regular.items.filter(client=second).exists()  # stays out when checked again
    client.post(reverse("claims:claim_batch_finalize", args=[regular.pk]), {"confirm": "1"})
    regular.refresh_from_db()
    assert regular.state == "written" and list(regular.excluded_clients.all()) == [second]
    html = client.get(PAGE).content.decode()
    assert "月遅れ請求・過誤再請求を作成する" in html and f'id="late-{second.pk}"' in html
    assert f'id="corr-{first.pk}"' in html
    client.post(
        reverse("claims:claim_batch_create_late"),
        {"month": "2025-09", "kind": "late", "clients": [second.pk]},
    )
    late = ClaimBatch.objects.get(kind="late")
    assert late.state == "checked" and list(late.items.values_list("client_id", flat=True)) == [second.pk]
    client.post(
        reverse("claims:claim_batch_create_late"),
        {"month": "2025-09", "kind": "correction", "clients": [first.pk]},
    )
    correction = ClaimBatch.objects.get(kind="correction")
    client.post(reverse("claims:claim_batch_finalize", args=[correction.pk]), {"confirm": "1"})
    correction.refresh_from_db()
    assert correction.state == "written"
    assert ClaimItem.objects.get(client=first, live=False).status == "cancelled"
    # a client of another office cannot be slipped in
    response = client.post(
        reverse("claims:claim_batch_create_late"), {"month": "2025-09", "kind": "late", "clients": [999999]}
    )
    assert response.status_code == 302 and ClaimBatch.objects.count() == 3


@pytest.mark.parametrize("clients", [1, 5])
def test_the_claim_page_keeps_a_constant_number_of_queries(
    client, office, staff, manager, admin_user, clients, django_assert_max_num_queries
):
    for c in ready(office, admin_user, staff, manager, n=clients):
        ContactLogFactory(client=c, staff=staff, on=date(2025, 9, 20))
    client.force_login(admin_user)
    client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    with django_assert_max_num_queries(34):
        response = client.get(PAGE)
    assert response.status_code == 200 and "エラーはありません" in response.content.decode()
    batch = ClaimBatch.objects.get()
    client.post(reverse("claims:claim_batch_finalize", args=[batch.pk]), {"confirm": "1"})
    for f in batch.files.all():
        client.get(reverse("claims:claim_file_download", args=[f.pk]))
    with django_assert_max_num_queries(34):
        response = client.get(PAGE)
    assert "ダウンロードの記録" in response.content.decode()


# --- export_claim --------------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("export_claim", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_claim_refuses_without_a_finalized_batch(office, staff, manager, admin_user, tmp_path):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)
    args = ["--office", str(office.pk), "--month", "2025-09", "--output", str(tmp_path)]
    with pytest.raises(CommandError, match="請求がありません"):
        run(*args)
    from claims import services

    services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    err = StringIO()
    with pytest.raises(CommandError, match="確定していません"):
        call_command("export_claim", *args, stderr=err)
    assert "利用開始日" in err.getvalue() and "様式種別番号" in err.getvalue()
    assert not list(tmp_path.iterdir())
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("--office", str(office.pk), "--month", "2025-13", "--output", str(tmp_path))


def test_export_claim_writes_the_finalized_files(office, staff, manager, admin_user, tmp_path):
    ready(office, admin_user, staff, manager, n=2)
    from claims import services

    batch = services.claim_batch_create(actor=admin_user, office=office, month=SEPT)
    services.claim_batch_check(actor=admin_user, batch=batch)
    services.claim_batch_finalize(actor=admin_user, batch=batch)
    out, _err = run(
        "--office", office.provider_number, "--month", "2025-09", "--output", str(tmp_path / "out")
    )
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["JISSEKI.CSV", "MEISAI.CSV", "SEIKYU.CSV"]
    batch.refresh_from_db()
    assert batch.state == "written"
    for f in batch.files.all():
        assert (tmp_path / "out" / f.name).read_bytes() == bytes(f.content) and f.sha256 in out
    assert ClaimFileDownload.objects.filter(via="command").count() == 3
    # the written files pass check_claim_file (exit status 0); a broken one does not
    paths = [str(tmp_path / "out" / n) for n in names]
    call_command("check_claim_file", *paths, "--form-type", "0101", stdout=StringIO(), stderr=StringIO())
    broken = tmp_path / "out" / "MEISAI.CSV"
    broken.write_bytes(broken.read_bytes().replace(b"\r\n", b"\n", 1))
    with pytest.raises(CommandError):
        call_command("check_claim_file", str(broken), stdout=StringIO(), stderr=StringIO())
    # a second export gives the same kept files
    run("--office", str(office.pk), "--month", "2025-09", "--output", str(tmp_path / "again"))
    assert (tmp_path / "again" / "SEIKYU.CSV").read_bytes() == (tmp_path / "out" / "SEIKYU.CSV").read_bytes()
    assert batch.files.count() == 3


@pytest.mark.parametrize(
    "name, data",
    [
        ("claims:claim_batch_exclude", {"client": "abc"}),
        ("claims:claim_batch_exclude", {"client": "99999999"}),
        ("claims:claim_batch_check", {}),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, office, staff, manager, admin_user, name, data):
    ready(office, admin_user, staff, manager)
    client.force_login(admin_user)
    client.post(reverse("claims:claim_batch_create"), {"month": "2025-09"})
    batch = ClaimBatch.objects.get()
    response = client.post(reverse(name, args=[batch.pk]), data)
    assert response.status_code == 302
    bad = client.post(
        reverse("claims:claim_batch_create_late"), {"month": "x", "kind": "nope", "clients": "a"}
    )
    assert bad.status_code == 302
    assert client.post(reverse("claims:claim_item_return", args=[999999]), {"reason": "x"}).status_code == 404
