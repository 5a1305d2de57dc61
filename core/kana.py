"""Normalising what people type for names and numbers (jaconv): hiragana, katakana and half-width kana
compare equal, spaces don't count, and full-width digits are digits."""

import re

import jaconv

_SPACES = re.compile(r"[\s\u3000]+")


def normalise_kana(text: str) -> str:
    """Full-width katakana without spaces: さいとう, サイトウ, ｻｲﾄｳ and サイ トウ give サイトウ."""
    text = jaconv.h2z(text or "", kana=True, ascii=False, digit=False)
    return _SPACES.sub("", jaconv.hira2kata(text))


def normalise_digits(text: str) -> str:
    """Half-width digits without spaces or hyphens: ０１２３-４５ gives 012345."""
    return re.sub(r"[\s\u3000\-ー－]+", "", jaconv.z2h(text or "", kana=False, ascii=True, digit=True))
