"""Records' dates as calendar days, for the report's time view.

The stdlib's ``fromisoformat`` reads most of ISO 8601 (2019-03-05, 20190305, 2019-W10-2,
times with offsets or Z); reduced precision (2019-03, 2019), ordinal days (2019-064) and the
plain forms people write (2019/3/5, 2019.03.05, 2019年3月5日) are read here by hand, as no
maintained library reads them all without guessing. A day-first or month-first form
(03/05/2019) is refused, not guessed: it reads two ways.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


# A date far from the others (9999-12-31 among a year's posts, a 1900-01-01 placeholder) would
# stretch the time view over centuries and choose its period (year) for one record. The rule
# is robust to the outliers it looks for: a date is far when it lies further from the records'
# median date than ten times their median absolute deviation, and ten years at least.
FAR_DEVIATIONS = 10
FAR_MIN_DAYS = 3653
_MIN_DATES = 3  # of two dates, neither is the odd one out


def date_fences(days: Sequence[date]) -> tuple[date, date] | None:
    """The first and last day a date may name and still count with the others (one date per
    record); None when there are too few dates to tell."""
    if len(days) < _MIN_DATES:
        return None
    ordinals = sorted(day.toordinal() for day in days)
    middle = (len(ordinals) - 1) // 2
    median = ordinals[middle]  # the lower median: a day some record names
    deviation = sorted(abs(o - median) for o in ordinals)[middle]
    reach = max(FAR_DEVIATIONS * deviation, FAR_MIN_DAYS)
    low, high = max(median - reach, date.min.toordinal()), min(median + reach, date.max.toordinal())
    return date.fromordinal(low), date.fromordinal(high)


def far_dates_warning(far: list[tuple[str, int | None, str]], kept: Sequence[date]) -> list[str]:
    """One warning listing the records whose date lies far from the others: (source, line, the
    date), and the span of the dates kept."""
    if not far:
        return []
    listed = "; ".join(f"{source}:{line} {value[:40]!r}" for source, line, value in far[:10])
    more = f" and {len(far) - 10} more" if len(far) > 10 else ""
    span = f" (the others run from {min(kept)} to {max(kept)})" if kept else ""
    return [
        f"{len(far)} date(s) lie far from the others{span} and are left out of the time view, "
        f"which takes its period from the rest (far: further from the median date than "
        f"{FAR_DEVIATIONS} times the dates' median deviation, and {FAR_MIN_DAYS // 365} years "
        f"at least): {listed}{more}"
    ]
