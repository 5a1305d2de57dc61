"""Reads for the cases pages, shaped for one page each, always scoped by the access helper."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Concat, Replace
from django.http import Http404
from django.utils.translation import gettext_lazy

from core.kana import normalise_digits, normalise_kana
from core.statements import prefetched, statement

from . import rules
from .access import clients_of_office, clients_visible_to, show
from .models import BenefitDecision, Client, ClientStatus, Employment, Membership, Role, User

# The caseload's groups, in order: in service, preparing, then ended or handed over.
GROUP_ACTIVE, GROUP_PREPARING, GROUP_ENDED = 0, 1, 2
GROUP_LABELS = {
    GROUP_ACTIVE: gettext_lazy("利用中"),
    GROUP_PREPARING: gettext_lazy("利用準備中"),
    GROUP_ENDED: gettext_lazy("終了・引継ぎ済み"),
}


# What a line listing a client shows (the caseload, the office month's lists): names, 受給者証番号, the
# window and the primary staff, nothing more.
CLIENT_LINE_FIELDS = (
    "office_id",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "recipient_number",
    "archived",
    "window_starts_on",
    "window_ends_on",
    "window_end_reason",
    "primary_staff__last_name",
    "primary_staff__first_name",
    "primary_staff__username",
)


def caseload(membership: Membership):
    """The office's clients, those in service first, then preparing, then ended or handed over."""
    group = Case(
        When(status=ClientStatus.ACTIVE, then=Value(GROUP_ACTIVE)),
        When(status=ClientStatus.PREPARING, then=Value(GROUP_PREPARING)),
        default=Value(GROUP_ENDED),
        output_field=IntegerField(),
    )
    return (
        clients_visible_to(membership)
        .select_related("primary_staff")
        .only(*CLIENT_LINE_FIELDS)
        .annotate(caseload_group=group)
        .order_by("caseload_group", "family_name_kana", "given_name_kana", "id")
    )


def _without_spaces(*fields):
    joined = Concat(*fields, output_field=CharField()) if len(fields) > 1 else fields[0]
    return Replace(Replace(joined, Value(" "), Value("")), Value("\u3000"), Value(""))


def search_clients(queryset, text: str):
    """Clients whose name, kana or recipient number matches `text`: hiragana, katakana and half-width
    kana alike, spaces ignored (さいとう, サイトウ, ｻｲﾄｳ and サイ トウ find サイトウ), full-width digits too."""
    text = (text or "").strip()
    if not text:
        return queryset
    queryset = queryset.annotate(
        search_kana=_without_spaces(F("family_name_kana"), F("given_name_kana")),
        search_name=_without_spaces(F("family_name"), F("given_name")),
    )
    condition = Q()
    digits = normalise_digits(text)
    if digits.isascii() and digits.isdigit():
        condition |= Q(recipient_number__startswith=digits)
    kana = normalise_kana(text)
    compact = "".join(text.split())
    condition |= Q(search_kana__contains=kana) | Q(search_name__icontains=compact)
    for word in text.split():  # "山田 ハナコ": any word in name or kana
        condition |= Q(search_name__icontains=word) | Q(search_kana__contains=normalise_kana(word))
    return queryset.filter(condition)


def client_file(membership: Membership):
    """The office's clients with what the pages of a client's file show: staff, office, handover,
    employments with their employers, decisions."""
    return _client_file(clients_visible_to(membership))


CLIENT_FILE_RELATED = ("primary_staff", "office", "handover")


def _employments_in_order():
    return Employment.objects.select_related("employer").order_by("hired_on")


def _decisions_in_order():
    return BenefitDecision.objects.order_by("starts_on")


def _client_file(clients):
    return clients.select_related(*CLIENT_FILE_RELATED).prefetch_related(
        Prefetch("employments", queryset=_employments_in_order()),
        Prefetch("decisions", queryset=_decisions_in_order()),
    )


@statement
def _office_client(*, office_id: int, pk: int):
    return clients_of_office(office_id).filter(pk=pk).select_related(*CLIENT_FILE_RELATED)


@statement
def _client_employments(*, client_id: int):
    return _employments_in_order().filter(client_id=client_id)


@statement
def _client_decisions(*, client_id: int):
    return _decisions_in_order().filter(client_id=client_id)


def client_for_page(request, pk: int) -> Client:
    """The client of a page of their file, with what client_file reads, else 404; the page's access-log
    row follows (load_for_page). Three statements."""
    found = _office_client(office_id=request.membership.office_id, pk=pk)
    if not found:
        raise Http404
    client = found[0]
    prefetched(client, "employments", _client_employments(client_id=pk), back="client")
    prefetched(client, "decisions", _client_decisions(client_id=pk), back="client")
    return show(request, client)


def support_staff_of_office(office_id: int):
    """Users who can carry a caseload in the office (support staff and service managers)."""
    return User.objects.filter(
        memberships__office_id=office_id, memberships__role__in=[Role.STAFF, Role.MANAGER], is_active=True
    ).order_by("last_name", "first_name", "id")


@statement
def support_staff_members(*, office_id: int) -> list[User]:
    """support_staff_of_office as a list, for a page that lists them."""
    return support_staff_of_office(office_id)


@dataclass(frozen=True)
class WindowSummary:
    window: rules.Window | None
    phase: str
    progress: rules.WindowProgress | None


def window_summary(client: Client, today: date) -> WindowSummary:
    window = client.window
    return WindowSummary(
        window=window,
        phase=rules.window_phase(window, today),
        progress=rules.window_progress(window, today) if window else None,
    )
