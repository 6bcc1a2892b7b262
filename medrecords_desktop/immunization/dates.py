"""CDSi date arithmetic: durations such as "6 weeks - 4 days" or "5 months + 4 weeks".

Years and months move the calendar; a day that does not exist (30 February) moves to the first of
the next month, as the CDSi logic specification asks. Weeks and days are counted as days.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_TERM = re.compile(r"([+-]?)\s*(\d+)\s*(year|month|week|day)s?", re.I)
FAR_FUTURE = dt.date(2999, 12, 31)
FAR_PAST = dt.date(1900, 1, 1)


@lru_cache(maxsize=4096)
def parse_duration(text: str) -> tuple[tuple[int, str], ...] | None:
    """("6 weeks - 4 days") -> ((6, 'week'), (-4, 'day')); empty -> None."""
    text = (text or "").strip()
    if not text or text.lower() in ("n/a", "na"):
        return None
    terms = []
    pos = 0
    for m in _TERM.finditer(text):
        if text[pos : m.start()].strip() not in ("", "+", "-"):
            raise ValueError(f"unreadable duration {text!r}")
        sign = -1 if m.group(1) == "-" else 1
        terms.append((sign * int(m.group(2)), m.group(3).lower()))
        pos = m.end()
    if not terms or text[pos:].strip():
        raise ValueError(f"unreadable duration {text!r}")
    return tuple(terms)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    try:
        return d.replace(year=year, month=month)
    except ValueError:  # no such day: first of the next month
        y2, m2 = divmod(month, 12)
        return dt.date(year + y2, m2 + 1, 1)


@lru_cache(maxsize=65536)
def add(d: dt.date, duration: str | None) -> dt.date | None:
    """d + duration; None when the duration is empty."""
    terms = parse_duration(duration or "")
    if terms is None:
        return None
    for n, unit in terms:
        if unit == "year":
            d = _add_months(d, 12 * n)
        elif unit == "month":
            d = _add_months(d, n)
        elif unit == "week":
            d = d + dt.timedelta(days=7 * n)
        else:
            d = d + dt.timedelta(days=n)
    return d


@lru_cache(maxsize=1024)
def parse_date(text: str | None) -> dt.date | None:
    """CDSi dates: YYYYMMDD or MM/DD/YYYY."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        m, d, y = text.split("/")
        return dt.date(int(y), int(m), int(d))
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
