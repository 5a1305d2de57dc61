"""Password validators beyond Django's: no username inside the password, no trivial passwords
(spaces, few distinct characters, runs such as abcdefghijklm or 9876543210)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_DISTINCT = 5


class UsernameInPasswordValidator:
    """Refuses a password that contains the username (staffstaffstaff for `staff`), in any case.
    Django's UserAttributeSimilarityValidator compares whole strings and lets a repeated name through."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= 3 and username in password.casefold().replace(" ", ""):
            raise ValidationError(_("パスワードにユーザー名を含めないでください。"), code="password_contains_username")

    def get_help_text(self):
        return _("ユーザー名を含まないパスワードにしてください。")


def _longest_run(text: str) -> int:
    """Length of the longest run of equal, ascending or descending consecutive characters."""
    best = run = 1
    step = None
    for before, after in zip(text, text[1:], strict=False):
        delta = ord(after) - ord(before)
        if delta in (-1, 0, 1) and (step is None or delta == step):
            run, step = run + 1, delta
        elif delta in (-1, 0, 1):
            run, step = 2, delta
        else:
            run, step = 1, None
        best = max(best, run)
    return best if text else 0


class TrivialPasswordValidator:
    """Refuses spaces only, fewer than MIN_DISTINCT different characters, and a password that is
    mostly one run (abcdefghijklm, 1234567890123, zyxwvu…)."""

    def validate(self, password, user=None):
        text = password.casefold()
        if not text.strip():
            raise ValidationError(_("空白だけのパスワードは使えません。"), code="password_blank")
        if len(set(text.replace(" ", ""))) < MIN_DISTINCT:
            raise ValidationError(
                _("同じ文字の繰り返しが多すぎます。%(n)d種類以上の文字を使ってください。") % {"n": MIN_DISTINCT},
                code="password_too_repetitive",
            )
        if _longest_run(text) * 2 > len(text):
            raise ValidationError(_("abcd… や 1234… のような並びが多すぎます。"), code="password_sequence")

    def get_help_text(self):
        return _("空白だけ、同じ文字の繰り返し、abcd… のような並びのパスワードは使えません。")
