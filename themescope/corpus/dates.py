"""Records' dates as calendar days, for the report's time view.

The stdlib's ``fromisoformat`` reads most of ISO 8601 (2019-03-05, 20190305, 2019-W10-2,
times with offsets or Z); reduced precision (2019-03, 2019), ordinal days (2019-064) and the
plain forms people write (2019/3/5, 2019.03.05, 2019年3月5日) are read here by hand, as no
maintained library reads them all without guessing. A day-first or month-first form
(03/05/2019) is refused, not guessed: it reads two ways.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"([0-9]{4})")
_ORDINAL = re.compile(r"([0-9]{4})-?([0-9]{3})")
# Year first, with / . - or CJK 年月日 between the parts, an optional time after a space or T.
_PLAIN = re.compile(r"([0-9]{4})\s*[/.\-年]\s*([0-9]{1,2})\s*[/.\-月]\s*([0-9]{1,2})\s*日?(?:[ T].*)?")


def parse_date(text: str) -> date | None:
    """The day a record's ``date`` names, or None when it names none (or two)."""
    text = text.strip()
    if not text or (not text.isascii() and not any(c in text for c in "年月日")):
        return None
    try:
        return datetime.fromisoformat(text.replace("z", "Z")).date()
    except ValueError:
        pass
    for pattern, build in (
        (_YEAR_MONTH, lambda y, m: date(y, m, 1)),
        (_YEAR, lambda y: date(y, 1, 1)),
        (_ORDINAL, lambda y, d: date(y, 1, 1) + timedelta(days=d - 1) if 1 <= d <= 366 else None),
        (_PLAIN, lambda y, m, d: date(y, m, d)),
    ):
        match = pattern.fullmatch(text)
        if match:
            try:
                day = build(*map(int, match.groups()))
            except ValueError:  # month 13, February 30
                return None
            return day if day is not None and day.year == int(match.group(1)) else None
    return None


def undated_warning(bad: list[tuple[str, int | None, str]]) -> list[str]:
    """One warning listing the records whose date names no day: (source, line, the date)."""
    if not bad:
        return []
    listed = "; ".join(f"{source}:{line} {value[:40]!r}" for source, line, value in bad[:10])
    more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
    return [
        f"{len(bad)} date(s) name no day and are left out of the time view "
        f"(ISO 8601 or year-first dates such as 2019-03-05 are read): {listed}{more}"
    ]
