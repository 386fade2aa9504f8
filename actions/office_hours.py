"""Office hours of the team that answers handoffs, for honest expectations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from knowledge import yamlfile

CONFIG = Path(__file__).resolve().parent.parent / "bot" / "handoff.yml"
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
DAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
DAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DAY_NAMES_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Hours:
    tz: ZoneInfo
    windows: dict[int, tuple[dt.time, dt.time]]
    noodlijnen: list[str]

    def is_open(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.tz)
        w = self.windows.get(local.weekday())
        return bool(w) and w[0] <= local.time() < w[1]

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        local = now.astimezone(self.tz)
        for add in range(0, 8):
            day = local.date() + dt.timedelta(days=add)
            w = self.windows.get(day.weekday())
            if not w:
                continue
            start = dt.datetime.combine(day, w[0], self.tz)
            if start > local:
                return start
        return None

    def describe(self, english: bool = False) -> str:
        """'ma 09:00-17:00, di 09:00-17:00' (or 'Mon 09:00-17:00, ...'): the windows."""
        parts = []
        for i, name in enumerate(DAYS_EN if english else DAYS):
            if i in self.windows:
                a, b = self.windows[i]
                parts.append(f"{name} {a:%H:%M}-{b:%H:%M}")
        return ", ".join(parts)


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


@lru_cache(maxsize=1)
def hours() -> Hours:
    data = yamlfile.read(CONFIG)
    windows = {
        DAYS.index(day): (_time(a), _time(b))
        for day, (a, b) in (data.get("kantoortijden") or {}).items()
    }
    return Hours(
        ZoneInfo(data.get("tijdzone", "Europe/Amsterdam")),
        windows,
        list(data.get("noodlijnen") or []),
    )


def when_text(moment: dt.datetime, english: bool = False) -> str:
    """'maandag om 09:00' (or 'Monday at 09:00')."""
    if english:
        return f"{DAY_NAMES_EN[moment.weekday()]} at {moment:%H:%M}"
    return f"{DAY_NAMES[moment.weekday()]} om {moment:%H:%M}"
