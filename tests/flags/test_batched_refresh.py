"""flags_refreshed_per_office: many service writes, one set-based flag pass per office at the end."""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from cases import services
from flags.models import Flag
from flags.services import flags_refreshed_per_office

from ..factories import ClientFactory, EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2025, 9, 25), tick=False)
def test_flags_are_computed_once_when_the_block_ends(office, django_assert_max_num_queries):
    actor = UserFactory()
    clients = [ClientFactory(office=office) for _ in range(3)]
    employer = EmployerFactory(office=office)
    with flags_refreshed_per_office():
        for client in clients:
            services.employment_save(actor=actor, client=client, employer=employer, hired_on=date(2025, 1, 6))
        assert not Flag.objects.exists()
    assert set(Flag.objects.values_list("client_id", flat=True)) == {c.pk for c in clients}


@time_machine.travel(date(2025, 9, 25), tick=False)
def test_nothing_is_computed_after_an_error(office):
    actor = UserFactory()
    client = ClientFactory(office=office)
    with pytest.raises(RuntimeError), transaction.atomic(), flags_refreshed_per_office():
        services.employment_save(
            actor=actor, client=client, employer=EmployerFactory(office=office), hired_on=date(2025, 1, 6)
        )
        raise RuntimeError
    assert not Flag.objects.exists()
    # outside the block, a change refreshes the client at once again
    services.employment_save(
        actor=actor, client=client, employer=EmployerFactory(office=office), hired_on=date(2025, 1, 6)
    )
    assert Flag.objects.filter(client=client).exists()
