"""English: the language switch really shows English, and the catalog in locale/en is complete and compiled."""

import ast
import gettext
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases.models import Role

from ..factories import ClientFactory, EmploymentFactory, MembershipFactory, OfficeFactory

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Hiragana, katakana, CJK ideographs and full-width forms: what an untranslated label is made of.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _back_to_japanese():
    # LocaleMiddleware activates the request's language in this thread; don't leak English into other tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:caseload")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def nav_text(html, *data):
    """The visible text and labels of the top navigation, minus data (office and user names) and the brand."""
    nav = re.search(r"<nav class=\"navbar.*?</nav>", html, re.S).group(0)
    nav = re.sub(r"<(script|style)\b.*?</\1>", "", nav, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', nav))
    text = unescape(re.sub(r"<[^>]+>", " ", nav)) + " " + labels
    # The brand is a name, and the switch back offers "日本語" in its own language, as language switches do.
    for keep in ("定着", "日本語", *data):
        text = text.replace(keep, " ")
    return " ".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN])
def test_caseload_in_english_after_the_switch(client, office, role):
    user = MembershipFactory(office=office, role=role).user
    MembershipFactory(office=OfficeFactory(), user=user, role=role)  # two offices: the office switch shows
    person = ClientFactory(office=office)
    EmploymentFactory(client=person)
    client.force_login(user)
    switch_to_english(client)

    response = client.get(reverse("cases:caseload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Clients" in html
    assert "利用者一覧" not in html
    assert "1 client" in html

    text = nav_text(html, *(m.office.name for m in user.memberships.all()), user.display_name)
    assert "Log out" in text
    assert "Alerts" in text
    assert not JAPANESE.findall(text), f"untranslated navigation labels: {text}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how",
    [{"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, {"cookie": "en"}],
    ids=["accept-language", "cookie"],
)
def test_login_page_in_english(client, how):
    if "cookie" in how:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = how.pop("cookie")
    html = client.get(reverse("login"), **how).content.decode()
    assert "Log in" in html
    assert "Username" in html and "Password" in html
    assert "ログイン" not in html and "パスワード" not in html


@pytest.mark.django_db
def test_japanese_stays_the_default(client):
    html = client.get(reverse("login")).content.decode()
    assert "ログイン" in html and "Log in" not in html


def parse_po(path):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (index → text), flags."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set(), "msgctxt": None}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
            keyword, index, value = match.groups()
            field = (keyword, int(index or 0))
            if keyword == "msgstr":
                entry["msgstr"][field[1]] = ast.literal_eval(value)
            else:
                entry[keyword] = ast.literal_eval(value)
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += ast.literal_eval(line)
            else:
                entry[field[0]] += ast.literal_eval(line)
    return entries


def test_catalog_is_complete():
    header, *entries = parse_po(PO)
    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    for e in entries:
        if e["msgid_plural"] is not None:
            assert sorted(e["msgstr"]) == [0, 1], e["msgid"]
        placeholders = set(re.findall(r"%\(\w+\)s", e["msgid"]))
        for text in e["msgstr"].values():
            assert set(re.findall(r"%\(\w+\)s", text)) == placeholders, e["msgid"]


def test_compiled_catalog_matches_the_po():
    """django.mo is committed (CI and `make run` have no gettext); it must be recompiled after each .po edit."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    _header, *entries = parse_po(PO)
    stale = []
    for e in entries:
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            ok = compiled._catalog.get(key) == e["msgstr"][0]
        else:
            ok = all(compiled._catalog.get((key, i)) == text for i, text in e["msgstr"].items())
        if not ok:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is out of date, run compilemessages: {stale}"
