"""Sorting and searching Chinese text the way street offices expect, the same on every
platform and database (never Qt's or the OS's locale-aware compare, which differ).

- `sort_key(text)`: pinyin order character by character (张 zhang1 before 章 zhang1 by
  code point, before 长 zhang3), numbers inside text in natural order (1栋 < 2栋 < 10栋,
  3-2-901 < 3-2-1001), Latin letters case-insensitively. Classes: punctuation and other
  symbols < numbers < Latin letters < Chinese characters. Equal keys only for equal text.
- `sort_key(text, name=True)`: a person's name: the first character (or 尉迟) is read as a
  surname (曾 zeng, 单 shan, 解 xie, 区 ou, 仇 qiu, 朴 piao, 查 zha, 翟 zhai, 盖 ge, 覃 qin,
  缪 miao, 尉 wei, 尉迟 yuchi), not by its everyday reading (曾经 ceng, 单位 dan).
- `initials(text)`: the first letter of each character's pinyin, letters and digits as
  they are ("zs" finds 张三).

The readings come from app/pinyin_table.py (generated from pypinyin's data, see there), the
first and most common reading of each character. Keys are plain strings (one weight
character per source character), so comparing them is a C string compare; each text's key
is cached. A table sorts by `column_keys`: a whole column's keys built in one batch (one
translate, one split), compact for a column of ASCII codes, kept for the next sort."""

from __future__ import annotations

import re
from itertools import compress, repeat
from operator import add, is_

# Weight characters live in plane 15 (private use), above every character a text holds,
# so the untouched punctuation and symbols sort first. Ranges, in increasing order:
_NUMBER = 0xF0000  # + the count of digits, followed by the digits themselves
_LATIN = 0xF1000  # + 0..25
_HAN = 0xF2000  # + rank in pinyin order (about 27,000 ranks)
_RARE = 0xFA000  # a character beyond the table (e.g. extension B): this, then itself
_END = "\x00"  # between the key and the text itself: a shorter text sorts first

# Surnames whose reading differs from the character's everyday one, as (pinyin, tone).
SURNAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "曾": (("zeng", "1"),), "单": (("shan", "4"),), "解": (("xie", "4"),),
    "区": (("ou", "1"),), "仇": (("qiu", "2"),), "朴": (("piao", "2"),),
    "查": (("zha", "1"),), "翟": (("zhai", "2"),), "盖": (("ge", "3"),),
    "覃": (("qin", "2"),), "缪": (("miao", "4"),), "尉": (("wei", "4"),),
    "尉迟": (("yu", "4"), ("chi", "2")),
}

# A run of digits (full-width ones count) without its leading zeros, "0" if all are zeros.
_DIGIT_RUNS = re.compile(r"(?=[0-9０-９])[0０]*([0-9０-９]+)")  # the lookahead: a fast scan
_NOT_INITIAL = re.compile(r"[^a-z0-9]+")
_NOT_INITIAL_OR_SEP = re.compile(r"[^a-z0-9\x02]+")
_BEYOND_BMP = re.compile(r"[\U00010000-\U000EFFFF]")
_SEP = "\x02"  # joins the texts of one batch: they are translated in one call, not each
_CACHE_MAX = 400_000  # texts whose key is kept (about 100 MB at most); then start afresh

_tables: tuple[list, list, dict[tuple[str, str, str], str]] | None = None
_keys: dict[str, str] = {}
_recent: list[tuple[list[str], list[str]]] = []  # (texts, column_keys) of the last columns
_RECENT_MAX = 4


def _reading_order(syllable: str) -> tuple[str, str]:
    return syllable.replace("v", "u"), syllable  # lu, lü, luan: as dictionaries order them


def _build() -> tuple[list, list, dict[tuple[str, str, str], str]]:
    """(weights, initials, surname weights), built on first use. The first two are lists
    indexed by code point for str.translate (twice as fast as a dict); a code point beyond
    them (IndexError) stays as it is."""
    from app.pinyin_table import DATA

    groups: dict[tuple[str, str], list[str]] = {}
    for line in DATA.splitlines():
        reading, chars = line.split(" ", 1)
        groups[(reading[:-1], reading[-1])] = list(chars)
    slots: dict[tuple[str, str], set[str]] = {}  # surname readings: (pinyin, tone) → chars
    for name, readings in SURNAMES.items():
        for ch, reading in zip(name, readings, strict=True):
            groups.setdefault(reading, [])
            slots.setdefault(reading, set()).add(ch)
    weights: list = list(range(0x10000))  # identity: punctuation and symbols stay
    initials: list = [None] * 0x10000  # deleted, but for initials, letters and digits
    initials[ord(_SEP)] = _SEP
    surname: dict[tuple[str, str, str], str] = {}
    rank = 0
    for reading in sorted(groups, key=lambda k: (*_reading_order(k[0]), k[1])):
        usual, slot = set(groups[reading]), slots.get(reading, set())
        for ch in sorted(usual | slot):
            w = chr(_HAN + rank)
            rank += 1
            if ch in slot:  # e.g. 曾 as zeng1, beside 增 and 憎
                surname[(ch, *reading)] = w
            if ch in usual:
                weights[ord(ch)] = w
                initials[ord(ch)] = reading[0][0]
    for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        for variant in (letter, letter.upper(), chr(0xFF41 + i), chr(0xFF21 + i)):  # ａ Ａ
            weights[ord(variant)] = chr(_LATIN + i)
            initials[ord(variant)] = letter
    for d in range(10):  # full-width digits count as digits
        weights[0xFF10 + d] = initials[0xFF10 + d] = initials[0x30 + d] = str(d)
    assert rank < _RARE - _HAN
    return weights, initials, surname


def _get_tables():
    global _tables
    if _tables is None:
        _tables = _build()
    return _tables


_initials_table: list | None = None


def _build_initials() -> list:
    """_build's initials table alone: each character's letter is that of its reading's
    line. A table's first load needs only this (search initials), not the weights, whose
    ordering of every reading costs several times more (the start-up's first page)."""
    from app.pinyin_table import DATA

    initials: list = [None] * 0x10000
    initials[ord(_SEP)] = _SEP
    for line in DATA.splitlines():
        letter = line[0]
        for ch in line[line.index(" ") + 1:]:
            initials[ord(ch)] = letter
    for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        for variant in (letter, letter.upper(), chr(0xFF41 + i), chr(0xFF21 + i)):
            initials[ord(variant)] = letter
    for d in range(10):
        initials[0xFF10 + d] = initials[0x30 + d] = str(d)
    return initials


def _get_initials() -> list:
    global _initials_table
    if _initials_table is None:
        _initials_table = _tables[1] if _tables is not None else _build_initials()
    return _initials_table


def _rare(m: re.Match) -> str:
    return chr(_RARE) + m.group()


# chr(_NUMBER + n) before a run of n digits (leading zeros dropped; a run of zeros is 0).
_PREFIX = [""] + [chr(_NUMBER + n) for n in range(1, 4096)]
# Compact keys of a column of ASCII texts (codes): the same weights, mapped in order onto
# one byte each (symbols as they are < a run of n digits 0x80 + n < letters 0xE0 + 0..25),
# so they compare as the full keys do and list.sort compares them with memcmp.
_A_PREFIX = [""] + [chr(0x80 + n) for n in range(1, 0x60)]
_A_TABLE = bytes.maketrans(bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B)),
                           bytes(range(0xE0, 0xFA)) * 2)


def _numbered(text: str, prefix: list[str]) -> str:
    """text with each run of digits n long (leading zeros dropped) led by prefix[n]: 7 and
    007 weigh alike (the text itself breaks the tie), 9 < 10. Map() over C functions: this
    runs over every text of a column at once; IndexError: a run longer than prefix."""
    parts = _DIGIT_RUNS.split(text)
    if len(parts) > 1:
        runs = parts[1::2]
        parts[1::2] = map(add, map(prefix.__getitem__, map(len, runs)), runs)
        text = "".join(parts)
    return text


def _weights(text: str) -> str:
    """The weights of text (or of a batch joined by _SEP, which stays a separator)."""
    rare = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)  # beyond U+FFFF
    try:
        text = _numbered(text, _PREFIX)
    except IndexError:  # a run of 4,096 digits or more: as long as 4,095 (enough)
        parts = _DIGIT_RUNS.split(text)
        parts[1::2] = [_PREFIX[min(len(r), len(_PREFIX) - 1)] + r for r in parts[1::2]]
        text = "".join(parts)
    key = text.translate(_get_tables()[0])
    if rare:
        key = _BEYOND_BMP.sub(_rare, key)  # after the table's characters, by code point
    return key


def _batch(texts, cache: dict[str, str], one, many) -> list[str]:
    """cache[t] for each text, the missing ones computed in one batch by many()."""
    keys = list(map(cache.get, texts))
    if None not in keys:  # every text cached: no set of them to build
        return keys
    missing = set(compress(texts, map(is_, keys, repeat(None))))
    if len(cache) + len(missing) > _CACHE_MAX:
        cache.clear()
    todo = list(missing)
    joined = _SEP.join(todo)
    if joined.count(_SEP) != len(todo) - 1:  # a text holds the separator: one by one
        cache.update((t, one(t)) for t in todo)
    else:
        cache.update(zip(todo, many(joined, todo), strict=True))
    return list(map(cache.__getitem__, texts))


def _key_one(text: str) -> str:
    return _weights(text) + _END + text


def _keys_many(joined: str, texts: list[str]) -> list[str]:
    keys = _weights(joined).split(_SEP)
    return list(map(add, map(add, keys, repeat(_END)), texts))


class _TooLong(Exception):
    """A run of digits too long for a compact key."""


def _ascii_weights(text: str) -> str:
    try:
        text = _numbered(text, _A_PREFIX)
    except IndexError:
        raise _TooLong from None
    return text.encode("latin-1").translate(_A_TABLE).decode("latin-1")


def _surname_prefix(text: str) -> tuple[str, int]:
    """The weights of a leading surname with its own reading, and its length in text."""
    surname = _get_tables()[2]
    for n in (2, 1):
        readings = SURNAMES.get(text[:n])
        if readings:
            return "".join(surname[(ch, s, t)] for ch, (s, t) in
                           zip(text[:n], readings, strict=True)), n
    return "", 0


def sort_key(text: str, name: bool = False) -> str:
    """A string that orders texts in pinyin / natural order (see the module docstring)."""
    text = text or ""
    if name:
        stripped = text.strip()
        prefix, n = _surname_prefix(stripped)
        if n:
            return prefix + _weights(stripped[n:]) + _END + text
    key = _keys.get(text)
    if key is None:
        key = _batch((text,), _keys, _key_one, _keys_many)[0]
    return key


def sort_keys(texts: list[str], name: bool = False) -> list[str]:
    """sort_key of each text, the uncached ones computed together (what a table uses)."""
    if name:
        return [sort_key(t, True) for t in texts]
    return _batch(texts, _keys, _key_one, _keys_many)


def column_keys(texts: list[str]) -> list[str]:
    """Keys that order these texts exactly as sort_key does, to compare among themselves
    only: what a table sorts a column by. Computed for the whole column in one batch (no
    per-text cache); the last few columns' keys are kept (a sort up, then down)."""
    for seen, keys in _recent:
        if seen == texts:  # the same string objects: one pointer compare each
            return keys
    keys = _column_keys(texts)
    _recent.insert(0, (list(texts), keys))
    del _recent[_RECENT_MAX:]
    return keys


def _column_keys(texts: list[str]) -> list[str]:
    joined = _SEP.join(texts)
    distinct = len(set(texts))
    if 2 * distinct < len(texts) or joined.count(_SEP) != len(texts) - 1:
        return sort_keys(texts)  # few texts, many times each (or one holds the separator)
    weights = None
    if joined.isascii():  # codes: one byte a character, sorted by memcmp
        try:
            weights = _ascii_weights(joined).split(_SEP)
        except _TooLong:
            pass
    if weights is None:
        weights = _weights(joined).split(_SEP)
    if "\x00" not in joined and len(set(weights)) == distinct:
        # Equal weights only for equal texts, and no weight below _END: the weights alone
        # order as the whole keys do, and are half as long to build and compare.
        return weights
    return list(map(add, map(add, weights, repeat(_END)), texts))  # 7 and 007: the text


def _initials_one(text: str) -> str:
    text = text.translate(_get_initials()).replace(_SEP, "")
    return text if text.isascii() else _NOT_INITIAL.sub("", text)  # beyond U+FFFF


def _initials_many(joined: str) -> list[str]:
    joined = joined.translate(_get_initials())
    if not joined.isascii():  # characters beyond U+FFFF, which the table does not delete
        joined = _NOT_INITIAL_OR_SEP.sub("", joined)
    return joined.split(_SEP)


def initials(text: str, name: bool = False) -> str:
    """Pinyin initials of the Chinese characters, with letters (lower case) and digits;
    everything else dropped: 张三 → zs, 3栋2单元 → 3d2dy."""
    text = text or ""
    if name:
        stripped = text.strip()
        readings = SURNAMES.get(stripped[:2]) or SURNAMES.get(stripped[:1])
        if readings:
            rest = stripped[len(readings):]
            return "".join(s[0] for s, _t in readings) + initials_many([rest])[0]
    return initials_many([text])[0]


def initials_many(texts: list[str]) -> list[str]:
    """initials of each text, computed together: one translate for them all (a table asks
    once for a whole column, so a per-text cache would only cost)."""
    distinct = set(texts)
    if 2 * len(distinct) < len(texts):  # few texts, many times each: each once
        todo = list(distinct)
        found = dict(zip(todo, initials_many(todo), strict=True))
        return list(map(found.__getitem__, texts))
    joined = _SEP.join(texts)
    if not texts or joined.count(_SEP) != len(texts) - 1:  # a text holds the separator
        return [_initials_one(t) for t in texts]
    return _initials_many(joined)
