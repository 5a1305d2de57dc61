"""Every page of a client's record (GET, edit forms and previews included) writes an access-log row
naming the client; office-wide pages that list clients' personal data write one for the office."""

import pytest

from audit.models import AccessKind, AccessLog

from ..core.urlwalk import fresh_office, sign_in, walk

pytestmark = pytest.mark.django_db

# Object pages whose object is no client's record
NOT_A_CLIENT_RECORD = {
    "cases:employer_update",
    "office:staff_detail",  # a staff member
    "claims:record_sheet_job",  # a bulk job's month, status and counts
}
# Object pages of many clients at once (an import file): a row for the office, without one client
MANY_CLIENTS = {
    "office:import_preview",
    "office:import_failed_rows",
    "claims:claim_file_download",  # a 国保連 file: every client of the batch
}
# Office pages that show clients' personal data (names, 受給者証番号) beyond the caseload's list
OFFICE_PAGES_WITH_PERSONAL_DATA = {"visits:billing", "visits:billing_export"}


def test_every_client_page_writes_an_access_log_row(client):
    office = fresh_office()
    missing = []
    for call in walk(office):
        if call.admin or call.method != "get" or call.name in NOT_A_CLIENT_RECORD:
            continue
        if not call.kwargs and call.name not in OFFICE_PAGES_WITH_PERSONAL_DATA:
            continue
        sign_in(client, office, call)
        before = AccessLog.objects.filter(kind__in=[AccessKind.VIEW, AccessKind.EXPORT]).count()
        response = client.get(call.url)
        if response.status_code != 200:  # sent on (e.g. a PDF for a month without data): nothing shown
            client.logout()
            continue
        rows = AccessLog.objects.filter(kind__in=[AccessKind.VIEW, AccessKind.EXPORT]).order_by("-id")
        if rows.count() == before:
            missing.append(call.name)
        elif call.kwargs and call.name not in MANY_CLIENTS and rows.first().client_id is None:
            missing.append(f"{call.name} (no client)")
        client.logout()
    assert not missing, missing
