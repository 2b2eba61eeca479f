"""A time zone's UTC offsets as a table over some years, so that a million times change
between local wall-clock time and UTC by one sorted search instead of a time-zone lookup
each. The hours in which the offset changes (a gap or a fold) are not in the table: the
times near them are left to the exact conversion, which the callers do for those only."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import polars as pl

#: UTC instants this close to a change of offset are left to the exact conversion
_NEAR_CHANGE = 26 * 3600


@dataclass(frozen=True)
class ZoneOffsets:
    """A zone's UTC offset as a step function of local wall-clock time (see the module);
    the times of the hours that hold a change go the exact way (``parse_times``, which also
    flags a gap's)."""

    low: int  # the local seconds covered: [low, high)
    high: int
    breaks: np.ndarray  # local seconds from which an offset holds, sorted
    offsets: np.ndarray  # seconds east of UTC from each break on
    changing: pl.Series  # local hours (seconds // 3600) that hold a change

    @classmethod
    @functools.cache
    def of(cls, zone: str, first_year: int, last_year: int) -> ZoneOffsets:
        """The table of ``zone`` from the start of ``first_year`` to the end of
        ``last_year`` (1970-2200 at most: times outside go the exact way)."""
        def offset(local: np.ndarray) -> np.ndarray:
            utc = pl.from_epoch(pl.Series(local), "s").dt.replace_time_zone(
                zone, ambiguous="earliest", non_existent="null").dt.epoch("s")
            seconds: np.ndarray = (pl.Series(local) - utc).to_numpy().astype(np.float64)
            return seconds  # NaN: a gap

        low = (dt.date(max(first_year, 1970), 1, 1) - dt.date(1970, 1, 1)).days * 86_400
        high = (dt.date(min(max(last_year, first_year), 2200) + 1, 1, 1)
                - dt.date(1970, 1, 1)).days * 86_400
        midnights = np.arange(low, high + 86_400, 86_400, dtype=np.int64)
        daily = offset(midnights)
        moved = (daily[1:] != daily[:-1]) | np.isnan(daily[1:]) | np.isnan(daily[:-1])
        days = np.unique(np.concatenate([np.flatnonzero(moved), np.flatnonzero(moved) + 1]))
        hours = (midnights[days][:, None] + 3600 * np.arange(24)).ravel()
        start, end = offset(hours), offset(hours + 3599)
        changing = (start != end) | np.isnan(start) | np.isnan(end)
        steady_days = np.setdiff1d(np.arange(len(midnights)), days)
        points = np.concatenate([midnights[steady_days], hours[~changing]])
        values = np.concatenate([daily[steady_days], start[~changing]])
        order = np.argsort(points, kind="stable")
        points, values = points[order], values[order]
        new = np.ones(len(points), dtype=bool)
        new[1:] = values[1:] != values[:-1]
        return cls(low, high, points[new], values[new].astype(np.int64),
                   pl.Series(hours[changing] // 3600, dtype=pl.Int64))

    def unsure(self, local: pl.Expr) -> pl.Expr:
        """Times the table cannot convert: outside it, or in an hour that holds a change."""
        return ((local < self.low) | (local >= self.high)
                | (local // 3600).is_in(self.changing.implode()))

    def to_utc(self, local: pl.Series) -> pl.Series:
        """UTC epoch seconds of local wall-clock seconds the table covers (null stays)."""
        values = local.fill_null(0).to_numpy()
        index = np.searchsorted(self.breaks, values, side="right")  # in place from here:
        index -= 1  # a million times are 8 MB an array, so no more temporaries than needed
        np.maximum(index, 0, out=index)
        utc = self.offsets[index]
        del index
        np.subtract(values, utc, out=utc)
        converted = pl.Series(local.name, utc, dtype=pl.Int64)
        if not local.null_count():
            return converted
        return pl.select(pl.when(local.is_not_null()).then(converted)).to_series().alias(local.name)

    @functools.cached_property
    def _utc_breaks(self) -> np.ndarray:
        """The UTC instants from which each offset holds (as far as the table tells)."""
        breaks: np.ndarray = self.breaks - self.offsets
        return breaks

    def to_local(self, utc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(local wall-clock seconds of UTC instants, which of them the table cannot tell:
        outside it or within a day of a change of offset)."""
        breaks = self._utc_breaks
        index = np.searchsorted(breaks, utc, side="right") - 1
        np.maximum(index, 0, out=index)
        local = utc + self.offsets[index]
        following = breaks[np.minimum(index + 1, len(breaks) - 1)]
        unsure = ((local < self.low) | (local >= self.high)
                  | (utc - breaks[index] < _NEAR_CHANGE) & (index > 0)
                  | (following - utc < _NEAR_CHANGE) & (index + 1 < len(breaks)))
        return local, unsure

