"""The access matrix, generated from the URL configuration.

Every named URL that takes an object id needs a line in OBJECT_URLS: the object it takes, the method,
and the status for staff / manager / admin on an object of their own office. On another office's object
every role gets 404 — except where the role itself is refused (403 before any lookup, the same answer a
non-existent id gets, so nothing leaks). URLs without an object id need a line in OFFICE_URLS.
An object-level refusal (a staff member editing a colleague's contact) is 403 on the own office and
still 404 on another office. A URL missing from both fails `test_every_url_is_in_the_matrix`: register new URLs with one line.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.models import Role
from claims.models import ClaimBatch, ClaimBatchFile, ClaimItem, RecordSheetJob

from .factories import (
    BenefitDecisionFactory,
    ClientFactory,
    ClientImportFactory,
    ConsentFactory,
    ContactLogFactory,
    EmployerFactory,
    EmploymentFactory,
    HandoverFactory,
    MeetingFactory,
    MembershipFactory,
    OfficeFactory,
    PlanReviewFactory,
    SupportPlanFactory,
    SupportReportFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


GET, POST = "get", "post"
ROLES = (Role.STAFF, Role.MANAGER, Role.ADMIN)

# Objects a URL can take, built in a given office; each gives every kwarg name a URL may use for it.
OBJECTS = {
    "client": lambda office: (c := ClientFactory(office=office)) and {"pk": c.pk, "client_pk": c.pk},
    "employment": lambda office: (
        (e := EmploymentFactory(client=ClientFactory(office=office), employer=EmployerFactory(office=office)))
        and {"client_pk": e.client_id, "pk": e.pk}
    ),
    "decision": lambda office: (
        (d := BenefitDecisionFactory(client=ClientFactory(office=office), starts_on=date(2026, 1, 1)))
        and {"client_pk": d.client_id, "pk": d.pk}
    ),
    "employer": lambda office: {"pk": EmployerFactory(office=office).pk},
    "plan": lambda office: (
        (p := SupportPlanFactory(client=ClientFactory(office=office)))
        and {"pk": p.pk, "plan_pk": p.pk, "step": "approve"}
    ),
    "review": lambda office: {
        "pk": PlanReviewFactory(plan=SupportPlanFactory(client=ClientFactory(office=office))).pk
    },
    "consent": lambda office: {"pk": ConsentFactory(client=ClientFactory(office=office)).pk},
    "handover": lambda office: {"pk": HandoverFactory(client=ClientFactory(office=office)).pk},
    "contact": lambda office: {"pk": ContactLogFactory(client=ClientFactory(office=office)).pk},
    "sheet_job": lambda office: {
        "pk": RecordSheetJob.objects.create(
            office=office, created_by=UserFactory(), month=date(2025, 9, 1), office_ids=[office.pk]
        ).pk
    },
    "member": lambda office: {"pk": MembershipFactory(office=office).user_id},
    "import": lambda office: {"pk": ClientImportFactory(office=office).pk},
    "report": lambda office: (
        (r := SupportReportFactory(client=ClientFactory(office=office)))
        and {"client_pk": r.client_id, "year": r.month.year, "month": r.month.month}
    ),
    "meeting": lambda office: {"pk": MeetingFactory(client=ClientFactory(office=office)).pk},
    "batch": lambda office: {"pk": _batch(office).pk},
    "claim_item": lambda office: {
        "pk": ClaimItem.objects.create(
            batch=_batch(office, state="finalized"),
            client=ClientFactory(office=office),
            service_month=date(2025, 8, 1),
        ).pk
    },
    "claim_file": lambda office: {
        "pk": ClaimBatchFile.objects.create(
            batch=_batch(office, state="written"),
            name="SEIKYU.CSV",
            exchange_id="J111",
            sha256="0" * 64,
            size=2,
            content=b"\r\n",
        ).pk
    },
}


# One service month per state: a walk over every URL builds all three batches in one office, and an
# office has one batch per service month.
BATCH_MONTHS = {"draft": 9, "finalized": 8, "written": 7}


def _batch(office, state="draft"):
    user = UserFactory()
    locked = state in ("finalized", "written")
    month = BATCH_MONTHS[state]
    return ClaimBatch.objects.create(
        office=office,
        service_month=date(2025, month, 1),
        processing_month=date(2025, month + 1, 1),
        created_by=user,
        state=state,
        finalized_by=user if locked else None,
        finalized_at=timezone.now() if locked else None,
    )


# url name: (object, method, staff, manager, admin) on an object of the user's own office
OBJECT_URLS = {
    "cases:client_detail": ("client", GET, 200, 200, 200),
    "audit:client_history": ("client", GET, 200, 200, 200),
    "cases:client_update": ("client", GET, 403, 200, 200),
    "cases:client_archive": ("client", POST, 403, 302, 302),
    "cases:employment_create": ("client", GET, 403, 200, 200),
    "cases:employment_update": ("employment", GET, 403, 200, 200),
    "cases:decision_create": ("client", GET, 403, 200, 200),
    "cases:decision_update": ("decision", GET, 403, 200, 200),
    "cases:decision_withdraw": ("decision", GET, 403, 200, 200),
    "cases:employer_update": ("employer", GET, 403, 200, 200),
    "meetings:client_meetings": ("client", GET, 200, 200, 200),
    "meetings:follow_up_record": ("client", GET, 200, 200, 403),
    "meetings:meeting_detail": ("meeting", GET, 200, 200, 200),
    "meetings:meeting_edit": ("meeting", GET, 200, 200, 403),
    "meetings:meeting_print": ("meeting", GET, 200, 200, 200),
    "plans:plan_versions": ("client", GET, 200, 200, 200),
    "plans:plan_create": ("client", GET, 200, 200, 403),
    "plans:plan_compare": ("client", GET, 200, 200, 200),
    "plans:handover_edit": ("client", GET, 200, 200, 200),
    "plans:consent_list": ("client", GET, 200, 200, 200),
    "plans:consent_withdraw": ("consent", POST, 302, 302, 403),
    "plans:consent_correct": ("consent", GET, 200, 200, 403),
    "plans:plan_detail": ("plan", GET, 200, 200, 200),
    "plans:plan_edit": ("plan", GET, 200, 200, 403),
    "plans:plan_print": ("plan", GET, 200, 200, 200),
    "plans:plan_step": ("plan", POST, 403, 302, 403),
    "plans:review_create": ("plan", GET, 403, 200, 403),
    "plans:review_edit": ("review", GET, 403, 200, 403),
    "plans:plan_withdraw": ("plan", POST, 403, 302, 403),
    "plans:review_withdraw": ("review", POST, 403, 302, 403),
    "plans:handover_withdraw": ("handover", POST, 403, 302, 403),
    "plans:consent_withdraw_entry": ("consent", GET, 403, 200, 403),
    # a staff member edits only the contacts they wrote; this one is a colleague's
    "visits:contact_update": ("contact", GET, 403, 200, 200),
    "visits:contact_delete": ("contact", GET, 403, 200, 200),
    "visits:report_detail": ("report", GET, 200, 200, 200),
    "visits:report_draft": ("report", POST, 302, 302, 403),
    "visits:report_edit": ("report", GET, 200, 200, 403),
    "visits:report_share": ("report", GET, 200, 200, 403),
    "visits:report_withdraw": ("report", GET, 403, 200, 403),
    "claims:client_profile": ("client", GET, 403, 200, 200),
    "claims:client_month_pdf": ("client", GET, 403, 302, 302),  # outside the window: back to the month
    "claims:record_sheet_job": ("sheet_job", GET, 403, 403, 200),
    "claims:record_sheet_job_download": ("sheet_job", GET, 403, 403, 302),  # not done yet: back to the job
    "claims:claim_batch_check": ("batch", POST, 403, 403, 302),
    "claims:claim_batch_finalize": ("batch", GET, 403, 403, 302),  # not checked yet: back to the month
    "claims:claim_batch_discard": ("batch", POST, 403, 403, 302),
    "claims:claim_batch_exclude": ("batch", POST, 403, 403, 302),
    "claims:claim_item_return": ("claim_item", POST, 403, 403, 302),  # no reason: back with the message
    "claims:claim_file_download": ("claim_file", GET, 403, 403, 200),
    "visits:support_record": ("client", GET, 200, 200, 200),
    "visits:support_record_print": ("client", GET, 200, 200, 200),
    "office:staff_detail": ("member", GET, 403, 403, 200),
    "office:staff_role": ("member", POST, 403, 403, 302),
    "office:staff_deactivate": ("member", POST, 403, 403, 302),
    "office:staff_reactivate": ("member", POST, 403, 403, 302),
    "office:staff_password": ("member", POST, 403, 403, 302),
    "office:staff_two_factor": ("member", POST, 403, 403, 302),
    "office:import_preview": ("import", GET, 403, 200, 200),
    "office:import_failed_rows": ("import", GET, 403, 200, 200),
}

# url name: (method, staff, manager, admin) for office pages without an object id
OFFICE_URLS = {
    "home": (GET, 302, 302, 302),
    "login": (GET, 302, 302, 302),  # signed in already: sent on
    "logout": (POST, 302, 302, 302),
    "set_language": (POST, 302, 302, 302),
    "cases:caseload": (GET, 200, 200, 200),
    "cases:client_create": (GET, 403, 200, 200),
    "cases:employer_list": (GET, 200, 200, 200),
    "cases:employer_create": (GET, 403, 200, 200),
    "cases:office_switch": (POST, 302, 302, 302),
    "plans:dashboard": (GET, 403, 200, 200),
    "visits:contact_create": (GET, 200, 200, 403),
    "visits:office_month": (GET, 200, 200, 200),
    "visits:my_month": (GET, 200, 200, 200),
    "visits:billing": (GET, 403, 403, 200),
    "visits:billing_export": (GET, 403, 403, 200),
    "visits:billing_lock": (POST, 403, 403, 302),
    "claims:office_month": (GET, 403, 200, 200),
    "claims:office_month_pdf": (GET, 403, 200, 200),
    "claims:office_settings": (GET, 403, 403, 200),
    "claims:record_sheet_job_start": (POST, 403, 403, 302),
    "claims:interface_settings": (GET, 403, 403, 200),
    "claims:claim_batch_create": (POST, 403, 403, 302),
    "claims:claim_batch_create_late": (POST, 403, 403, 302),
    "meetings:meeting_list": (GET, 200, 200, 200),
    "meetings:meeting_create": (GET, 200, 200, 403),
    "meetings:organisation_list": (GET, 200, 200, 200),
    "meetings:follow_up_list": (GET, 200, 200, 200),
    "meetings:rates": (GET, 403, 200, 200),
    "meetings:rates_confirm": (POST, 403, 302, 302),
    "meetings:designation_set": (POST, 403, 302, 302),
    "meetings:rates_export": (GET, 403, 200, 200),
    "meetings:statistics": (GET, 403, 200, 200),
    "flags:mine": (GET, 200, 200, 200),
    "flags:office": (GET, 403, 200, 200),
    "audit:access_log": (GET, 403, 403, 200),
    "audit:access_log_csv": (GET, 403, 403, 200),
    "audit:session_list": (GET, 200, 200, 200),
    "audit:session_end": (POST, 302, 302, 302),
    "audit:two_factor_setup": (GET, 200, 200, 200),
    "audit:two_factor_verify": (GET, 200, 200, 200),
    "audit:recovery_codes": (GET, 200, 200, 200),
    "office:staff_list": (GET, 403, 403, 200),
    "office:staff_create": (GET, 403, 403, 200),
    "office:lockout_list": (GET, 403, 403, 200),
    "office:lockout_unlock": (POST, 403, 403, 302),
    "office:settings": (GET, 403, 403, 200),
    "office:event_list": (GET, 403, 403, 200),
    "office:password_change": (GET, 200, 200, 200),
    "office:account_setup": (GET, 200, 200, 200),
    "office:import_start": (GET, 403, 200, 200),
    "office:import_template_csv": (GET, 403, 200, 200),
    "office:import_template_xlsx": (GET, 403, 200, 200),
}

# Namespaces tested elsewhere: the Django admin is for superusers only (tests/audit/test_access_log.py).
SKIPPED_NAMESPACES = {"admin"}


def named_urls(resolver=None, namespace=""):
    """(full name, parameter names) of every named URL pattern, walking includes recursively."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            params = set(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", params


URLS = dict(named_urls())


def test_every_url_is_in_the_matrix():
    missing_objects = sorted(n for n, p in URLS.items() if p and n not in OBJECT_URLS)
    missing_pages = sorted(n for n, p in URLS.items() if not p and n not in OFFICE_URLS)
    assert not missing_objects, f"add these URLs to OBJECT_URLS: {missing_objects}"
    assert not missing_pages, f"add these URLs to OFFICE_URLS: {missing_pages}"
    assert not set(OBJECT_URLS) - set(URLS), "OBJECT_URLS names URLs that no longer exist"
    assert not set(OFFICE_URLS) - set(URLS), "OFFICE_URLS names URLs that no longer exist"


def _signed_in(client, role):
    office = OfficeFactory()
    client.force_login(MembershipFactory(office=office, role=role).user)
    return office


def _call(client, method, url):
    return client.post(url) if method == POST else client.get(url)


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_object_urls(client, name, role_index, role):
    check_object_url(client, name, role_index, role)


def test_an_unscoped_view_fails_the_matrix(client, monkeypatch):
    """Proof the matrix bites: a client page that forgets the office scope is caught."""
    from django.shortcuts import get_object_or_404

    from cases import selectors
    from cases.models import Client

    monkeypatch.setattr(selectors, "client_for_page", lambda membership, pk: get_object_or_404(Client, pk=pk))
    with pytest.raises(AssertionError, match="on another office"):
        check_object_url(client, "cases:client_detail", 0, Role.STAFF)


def check_object_url(client, name, role_index, role):
    kind, method, *expected = OBJECT_URLS[name]
    params = URLS[name]
    office = _signed_in(client, role)
    own = {k: v for k, v in OBJECTS[kind](office).items() if k in params}
    foreign = {k: v for k, v in OBJECTS[kind](OfficeFactory()).items() if k in params}
    missing = {k: 999_999_999 if k == "pk" or k.endswith("_pk") else v for k, v in own.items()}

    own_status = _call(client, method, reverse(name, kwargs=own)).status_code
    assert own_status == expected[role_index], f"{name} as {role} on own office"
    foreign_status = _call(client, method, reverse(name, kwargs=foreign)).status_code
    # 403 only where the role is refused before any lookup (a missing id gets the same); otherwise 404
    allowed = {403, 404} if own_status == 403 else {404}
    assert foreign_status in allowed, f"{name} as {role} on another office"
    assert _call(client, method, reverse(name, kwargs=missing)).status_code == foreign_status


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", sorted(OFFICE_URLS))
def test_office_urls(client, name, role_index, role):
    method, *expected = OFFICE_URLS[name]
    _signed_in(client, role)
    assert _call(client, method, reverse(name)).status_code == expected[role_index], f"{name} as {role}"


@pytest.mark.parametrize("name", sorted(n for n in OBJECT_URLS))
def test_anonymous_users_are_sent_to_login(client, name):
    kind, method, *_ = OBJECT_URLS[name]
    kwargs = {k: v for k, v in OBJECTS[kind](OfficeFactory()).items() if k in URLS[name]}
    response = _call(client, method, reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
