import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created and logged in many times here; a fast hasher keeps the tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
