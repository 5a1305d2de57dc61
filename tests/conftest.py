import pytest

from cases.models import Role

from .factories import MembershipFactory, OfficeFactory


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def other_office(db):
    return OfficeFactory()


def _member(office, role):
    return MembershipFactory(office=office, role=role).user


@pytest.fixture
def staff(office):
    return _member(office, Role.STAFF)


@pytest.fixture
def manager(office):
    return _member(office, Role.MANAGER)


@pytest.fixture
def admin_user(office):
    return _member(office, Role.ADMIN)


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories set real passwords; a fast hasher keeps the suite quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages are keyed by ids a rolled-back test may reuse."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
