"""Passwords containing the username, blank or trivial ones are refused; ordinary passphrases pass."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["staffstaffstaff", "my-STAFF-password", " " * 13, "abcdefghijklm", "zyxwvutsrqpon", "1234567890123", "aaaaaaaaaaaab"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, user=UserFactory.build(username="staff"))


@pytest.mark.parametrize("password", ["correct-horse-battery", "teichaku-demo-2026", "朝の面談を記録する2026"])
def test_ordinary_passphrases_pass(password):
    validate_password(password, user=UserFactory.build(username="staff"))
