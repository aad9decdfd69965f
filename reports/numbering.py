"""Heading numbers as official documents write them: 一、 then （一） then 1. then （1）."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings rarely pass 99)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


class _Numbering:
    def __init__(self):
        self.counts = [0] * 5

    def next(self, level: int) -> str:
        level = min(max(level, 1), 4)
        self.counts[level] += 1
        for deeper in range(level + 1, 5):
            self.counts[deeper] = 0
        return heading_number(level, self.counts[level])
