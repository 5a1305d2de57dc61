"""core.bulk (COPY on PostgreSQL, bulk_create elsewhere and for few rows) and the `__any` lookup."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from cases.models import Client, Employer
from core import bulk
from flags.models import Flag

from ..factories import ClientFactory, FlagFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ["office_id", "client_id", "kind", "period", "severity", "message", "resolved_at", "created_at"]


@pytest.fixture(params=["bulk_create", "copy"])
def path(request, monkeypatch):
    """Both ways of writing: the COPY one only where the database is PostgreSQL."""
    if request.param == "copy":
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("COPY needs PostgreSQL")
        monkeypatch.setattr(bulk, "COPY_FROM", 1)
    return request.param


def test_upsert_inserts_new_rows_and_updates_the_conflicting_ones(path):
    from django.utils import timezone

    resolved = FlagFactory(kind="no_contact_yet", period=date(2025, 9, 1), resolved_at=timezone.now())
    client, office = resolved.client, resolved.office
    now = timezone.now()
    rows = [
        (office.pk, client.pk, "no_contact_yet", date(2025, 9, 1), "urgent", "再び", None, now),
        (office.pk, client.pk, "no_report", date(2025, 9, 1), "warning", "新しい", None, now),
    ]
    bulk.upsert_values(
        Flag, FIELDS, rows, unique_fields=["client", "kind", "period"],
        update_fields=["severity", "message", "resolved_at"],
    )  # fmt: skip
    flags = {f.kind: f for f in Flag.objects.filter(client=client)}
    assert len(flags) == 2
    assert flags["no_contact_yet"].pk == resolved.pk  # updated in place, reopened
    assert (flags["no_contact_yet"].severity, flags["no_contact_yet"].message) == ("urgent", "再び")
    assert flags["no_contact_yet"].resolved_at is None
    assert flags["no_report"].message == "新しい" and flags["no_report"].created_at is not None


def test_create_objects_gives_ids_and_keeps_json_and_history(path):
    office = OfficeFactory()
    actor = UserFactory()
    clients = [
        Client(office=office, family_name="山田", given_name=f"{i}", family_name_kana="ヤマダ", given_name_kana="タ",
               birth_date=date(1990, 4, 1), recipient_number=f"{4000000000 + i}", municipality="新宿区",
               disability_categories=["mental", "developmental"])
        for i in range(3)
    ]  # fmt: skip
    created = bulk.create_objects(Client, clients)
    assert all(c.pk and not c._state.adding for c in created)
    stored = Client.objects.get(pk=created[1].pk)
    assert stored.disability_categories == ["mental", "developmental"] and stored.given_name == "1"
    assert stored.created_at is not None
    bulk.insert_history(Client, created, user=actor)
    history = Client.history.filter(id__in=[c.pk for c in created])
    assert history.count() == 3
    assert {(h.history_type, h.history_user_id) for h in history} == {("+", actor.pk)}
    assert history.get(id=created[0].pk).disability_categories == ["mental", "developmental"]


def test_a_foreign_key_takes_the_id_of_an_object_saved_after_it_was_assigned(path):
    office = OfficeFactory()
    client = Client(office=office, family_name="後", given_name="付", family_name_kana="アト", given_name_kana="ツケ",
                    birth_date=date(1990, 4, 1), recipient_number="4100000000", municipality="新宿区")  # fmt: skip
    employers = [Employer(office=office, name="株式会社あと")]
    bulk.create_objects(Client, [client])
    bulk.create_objects(Employer, employers)
    assert Employer.objects.get(pk=employers[0].pk).office_id == office.pk == Client.objects.get(pk=client.pk).office_id


def test_what_the_database_refuses_is_a_django_database_error(path):
    office = OfficeFactory()
    ClientFactory(office=office, recipient_number="4200000000")
    duplicate = Client(office=office, family_name="重", given_name="複", family_name_kana="ジュウ",
                       given_name_kana="フク", birth_date=date(1990, 4, 1), recipient_number="4200000000",
                       municipality="新宿区")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.create_objects(Client, [duplicate])
    assert Client.objects.filter(recipient_number="4200000000").count() == 1


def test_any_lookup_matches_ids_as_in_does():
    clients = [ClientFactory() for _ in range(3)]
    wanted = [clients[0].pk, clients[2].pk]
    assert set(Client.objects.filter(pk__any=wanted)) == set(Client.objects.filter(pk__in=wanted))
    assert set(Client.objects.filter(pk__any=wanted).values_list("pk", flat=True)) == set(wanted)
    assert not Client.objects.filter(pk__any=[]).exists()
    flag = FlagFactory(client=clients[1])
    assert list(Flag.objects.filter(client_id__any=[clients[1].pk])) == [flag]
    assert list(Flag.objects.filter(client__any=[clients[1].pk])) == [flag]


def test_the_cyclic_collector_is_paused_for_a_batch_and_back_on_afterwards():
    import gc

    assert gc.isenabled()
    with bulk.cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk.cyclic_gc_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_any_lookup_takes_a_queryset_as_a_subquery(django_assert_num_queries):
    clients = [ClientFactory() for _ in range(3)]
    subquery = Client.objects.filter(pk__in=[clients[0].pk, clients[1].pk]).values("id")
    with django_assert_num_queries(1):
        found = set(Client.objects.filter(pk__any=subquery).values_list("pk", flat=True))
    assert found == {clients[0].pk, clients[1].pk}
