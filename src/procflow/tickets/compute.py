"""Compliance and KPI values per procedure, SLA, priority and month.

Each SLA is measured on the tickets of its procedure (and of its priority, when it names one)
from ``created`` to the time that stops it: ``first_response`` or ``resolved`` (the SLA's
*measure*: ``report.slas`` in procflow.yaml, else ``first_response`` when the SLA's id or
id speaks of a response, reply, answer or pickup, else ``resolution``). The elapsed time is working
time on the SLA's clock, less the working time the ticket spent in a pause status.

A closed ticket met the SLA when that time is at most the target. An open ticket is counted as
``open_breached`` when it is already past its target at ``now`` and ``open_due_soon`` when it
will be within the warning window (the SLA's ``warn_before``, else ``report.warn_before``,
else a quarter of the target). Compliance = met / (met + breached + open_breached).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from procflow.durations import Duration
from procflow.model import Calendar, Kpi, Procedure, Sla, TicketReportSettings
from procflow.project import Project
from procflow.tickets.clocks import Pauses, SlaClock, sla_calendar
from procflow.tickets.load import Tickets
from procflow.tickets.statuses import StatusChanges
from procflow.tickets.targets import Target, TargetError

Measure = Literal["first_response", "resolution"]
KPI_MEASURES = ("first_response_median", "first_response_p90", "fcr", "csat", "nps")
_KPI_UNITS = {"first_response_median": "seconds", "first_response_p90": "seconds",
              "fcr": "percent", "csat": "percent", "nps": "number"}
_RESPONSE_WORDS = re.compile(r"respon|reply|answer|pickup|odpowiedz|odpoved", re.IGNORECASE)
COUNTS = ("in_scope", "met", "breached", "open", "open_breached", "open_due_soon")


@dataclass(frozen=True)
class Counts:
    in_scope: int = 0
    met: int = 0
    breached: int = 0
    open: int = 0
    open_breached: int = 0
    open_due_soon: int = 0

    @property
    def judged(self) -> int:
        return self.met + self.breached + self.open_breached

    @property
    def compliance(self) -> float | None:
        """Percent met of the tickets already decided; None when none is."""
        return 100.0 * self.met / self.judged if self.judged else None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COUNTS} | {
            "compliance": _round(self.compliance)}


@dataclass(frozen=True)
class SlaMonth:
    month: str
    priority: str | None
    counts: Counts


@dataclass(frozen=True)
class SlaResult:
    sla: Sla
    measure: Measure
    target_seconds: int
    calendar: str | None  # None: the 24x7 clock
    compliance_target: Target
    total: Counts
    months: list[SlaMonth]
    by_month: dict[str, Counts]

    @property
    def met_target(self) -> bool | None:
        value = self.total.compliance
        return None if value is None else self.compliance_target.met(value)

    def month_met(self, month: str) -> bool | None:
        value = self.by_month.get(month, Counts()).compliance
        return None if value is None else self.compliance_target.met(value)


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    measure: str | None  # None: the report cannot measure this KPI from tickets
    target: Target | None
    problem: str | None  # why the target cannot be checked
    value: float | None
    months: list[tuple[str, float | None, bool | None]]

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.target.met(self.value)


@dataclass(frozen=True)
class ProcedureResult:
    procedure: Procedure
    file: str
    tickets: int
    slas: list[SlaResult]
    kpis: list[KpiResult]
    first_response_hours: np.ndarray  # working hours to first response, answered tickets
    response_targets: list[tuple[str, float]]  # (SLA id, target hours) of response SLAs

    @property
    def missed(self) -> list[str]:
        """What missed its target in the reported period, in words."""
        out = [f"SLA {r.sla.id}: {r.total.compliance:.1f}% misses {r.compliance_target.text}"
               for r in self.slas if r.met_target is False and r.total.compliance is not None]
        out += [f"KPI {k.kpi.id}: {format_value(k.value, k.measure)} misses {k.target.text}"
                for k in self.kpis if k.met is False and k.target is not None]
        return out

    @property
    def missed_last_month(self) -> list[str]:
        """SLAs that missed their target in the last month of the period."""
        out = []
        for result in self.slas:
            if result.months:
                last = max(result.by_month)
                if result.month_met(last) is False:
                    out.append(f"SLA {result.sla.id} in {last}: "
                               f"{result.by_month[last].compliance:.1f}% misses "
                               f"{result.compliance_target.text}")
        return out


@dataclass(frozen=True)
class Period:
    """The dates (in the report's zone) whose tickets are reported, both ends included."""

    start: str | None = None  # YYYY-MM-DD
    end: str | None = None


@dataclass
class Report:
    source: str
    rows: int
    bad: pl.DataFrame
    status_rows: int
    status_bad: pl.DataFrame
    timezone: str
    now: int
    period: Period
    months: list[str]
    procedures: list[ProcedureResult]
    warnings: list[str] = field(default_factory=list)

    @property
    def used(self) -> int:
        return sum(result.tickets for result in self.procedures)

    @property
    def missed(self) -> list[str]:
        return [f"{r.procedure.id}: {item}" for r in self.procedures for item in r.missed]

    def review_now(self) -> dict[str, list[str]]:
        """Procedures whose SLAs missed their target in the last month reported."""
        return {r.procedure.id: r.missed_last_month for r in self.procedures
                if r.missed_last_month}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def format_value(value: float | None, measure: str | None) -> str:
    if value is None:
        return "no data"
    unit = _KPI_UNITS.get(measure or "", "percent")
    if unit == "seconds":
        return format_duration(value)
    return f"{value:.1f}%" if unit == "percent" else f"{value:.1f}"


def format_duration(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def _lookup(table: Mapping[str, str], procedure: str, item: str) -> str | None:
    return table.get(f"{procedure}/{item}", table.get(item))


def sla_measure(sla: Sla, procedure: Procedure, settings: TicketReportSettings) -> Measure:
    configured = _lookup(settings.slas, procedure.id, sla.id)
    if configured:
        return configured  # type: ignore[return-value]
    return "first_response" if _RESPONSE_WORDS.search(sla.id) else "resolution"


def kpi_measure(kpi: Kpi, procedure: Procedure, settings: TicketReportSettings) -> str | None:
    configured = _lookup(settings.kpis, procedure.id, kpi.id)
    if configured:
        return configured
    defaults = {"fcr": "fcr", "csat": "csat", "nps": "nps",
                "first-response-median": "first_response_median",
                "first-response-p90": "first_response_p90"}
    return defaults.get(kpi.id)


def local_midnight(day: dt.date, zone: str) -> int:
    """The instant (UTC epoch seconds) at which ``day`` begins in ``zone`` (when midnight
    falls in a gap, the moment the clocks jump: Python's reading of a missing time)."""
    return int(dt.datetime.combine(day, dt.time(), zoneinfo.ZoneInfo(zone)).timestamp())


def months_of(created: pl.Series, zone: str) -> pl.Series:
    """Each instant's month (``YYYY-MM``) in ``zone``: one sorted search over the instants
    at which the months of the span begin, not a time-zone conversion per ticket (over a
    span of more than a century, from a stray year, polars converts each one)."""
    low, high = created.min(), created.max()
    if not isinstance(low, int) or not isinstance(high, int) or high - low > 100 * 366 * 86_400:
        return pl.from_epoch(created, "s").dt.convert_time_zone(zone).dt.strftime(
            "%Y-%m").alias("month")
    first, last = (dt.datetime.fromtimestamp(value, zoneinfo.ZoneInfo(zone))
                   for value in (low, high))
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    months = [(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1)
              for k in range(count)]
    starts = np.array([local_midnight(dt.date(year, month, 1), zone)
                       for year, month in months[1:]], dtype=np.int64)
    names = [f"{year:04d}-{month:02d}" for year, month in months]
    labels = pl.Series(names, dtype=pl.Enum(names))  # a small code per ticket, not a text
    index = np.searchsorted(starts, created.fill_null(low).to_numpy(), side="right")
    return pl.select(pl.when(created.is_not_null()).then(labels.gather(index))
                     ).to_series().alias("month")


def ticket_pauses(changes: StatusChanges | None, starts: np.ndarray,
                  stops: np.ndarray) -> Pauses:
    """The pause intervals of ``changes`` (placed on the rows of a table:
    ``StatusChanges.placed_on``), clipped to each row's start and stop; a pause still
    running lasts until the stop."""
    if changes is None or changes.intervals.is_empty():
        return Pauses.empty()
    placed = changes.intervals
    ticket = placed["_i"].cast(pl.Int64).to_numpy()
    end = placed["end"].fill_null(np.iinfo(np.int64).max).to_numpy()
    return Pauses.merged(ticket, placed["start"].to_numpy(), end, starts, stops)


@dataclass(frozen=True)
class Verdicts:
    """Per ticket in an SLA's scope, what the report counts, and the working seconds from
    start to stop (to ``now`` while open), paused time not counting."""

    met: np.ndarray
    open_breached: np.ndarray
    due_soon: np.ndarray
    is_open: np.ndarray
    elapsed: np.ndarray


def sla_verdicts(sla: Sla, calendar: Calendar | None, scope: pl.DataFrame, stop_column: str,
                 changes: StatusChanges | None, now: int,
                 warn_before: Duration | None) -> Verdicts:
    """Met, breached, open and due soon, per ticket of ``scope``, as ``procflow sla due``
    would judge each one by its due time.

    A closed ticket is judged without its due time: it met the SLA when the working time it
    took is less than the target, missed it when more (the due time is the first instant at
    which that much has run). Only the tickets that took exactly the target (stopped at the
    due time or in the closed hours right after it) and the open ones (a minority) get their
    due and warning times computed, one sorted search less per ticket and SLA."""
    created = scope["created"].to_numpy()
    stop_series = scope[stop_column]
    is_open = stop_series.is_null().to_numpy()
    stop = np.where(is_open, np.maximum(now, created), stop_series.fill_null(0).to_numpy())
    clock = SlaClock(sla, calendar, int(created.min(initial=now)),
                     int(max(stop.max(initial=now), now)))
    pauses = ticket_pauses(changes, created, stop)
    counted = clock.counted(sla.target, created)
    elapsed = clock.worked_between(created, stop, pauses)
    met = ~is_open & (elapsed < counted)
    exact = np.flatnonzero(is_open | (elapsed == counted))
    open_breached = np.zeros(len(created), dtype=bool)
    due_soon = np.zeros(len(created), dtype=bool)
    if len(exact):
        own = pauses.of(exact)
        due = clock.due(created[exact], counted[exact], own)
        closed = ~is_open[exact]
        met[exact[closed]] = stop[exact[closed]] <= due[closed]
        opened = exact[~closed]
        breached = now > due[~closed]
        open_breached[opened] = breached
        if warn_before is None:
            due_soon[opened] = ~breached & (now >= due[~closed])
        else:
            lead = clock.lead(warn_before, due)
            warn = clock.due(created[exact], np.maximum(0, counted[exact] - lead), own)
            due_soon[opened] = ~breached & (now >= warn[~closed])
    return Verdicts(met, open_breached, due_soon, is_open, elapsed)


def measure_sla(sla: Sla, procedure: Procedure, tickets: pl.DataFrame, project: Project,
                settings: TicketReportSettings, changes: StatusChanges | None, now: int,
                compliance_target: Target) -> tuple[SlaResult, np.ndarray, np.ndarray]:
    """The SLA's counts, and (for the first-response figures) the row numbers in scope and
    their working seconds to the stop time (NaN while open)."""
    measure = sla_measure(sla, procedure, settings)
    stop_column = "first_response" if measure == "first_response" else "resolved"
    # only these are copied for a priority's tickets
    scope = tickets.select("row", "created", stop_column, "month", "priority")
    if sla.priority is not None:
        in_scope = (scope["priority"] == sla.priority).fill_null(False)
        scope = scope.filter(in_scope)
        changes = changes and changes.within(in_scope.to_numpy())
    if changes is not None:  # the statuses that stop this SLA's clock
        steps = set(getattr(sla, "pause", ()))
        changes = changes.for_statuses(changes.always | {
            status.strip().lower() for status, step in settings.statuses.items()
            if step in steps})
    calendar = sla_calendar(sla, project)
    target = (sla.target.total_seconds("calendar") if calendar is None
              else sla.target.total_seconds("business", workday_seconds(calendar)))
    warn_before = sla.warn_before or settings.warn_before
    if warn_before is None:  # no warning window stated: the last quarter of the target
        warn_before = Duration(f"{target // 4}s", seconds=target // 4)
    verdicts = sla_verdicts(sla, calendar, scope, stop_column, changes, now, warn_before)
    is_open, met = verdicts.is_open, verdicts.met
    flags = scope.select("month", "priority").with_columns(  # booleans: a bit a ticket
        pl.Series("met", met), pl.Series("breached", ~is_open & ~met),
        pl.Series("open", is_open), pl.Series("open_breached", verdicts.open_breached),
        pl.Series("open_due_soon", verdicts.due_soon))
    grouped = (flags.group_by("month", "priority").agg(_COUNTED)
               .with_columns(pl.col("month", "priority").cast(pl.Utf8))
               .sort("month", "priority", nulls_last=True))
    months = [SlaMonth(row["month"], row["priority"], _row_counts(row))
              for row in grouped.iter_rows(named=True)]
    by_month = {row["month"]: _row_counts(row) for row in
                flags.group_by("month").agg(_COUNTED).iter_rows(named=True)}
    result = SlaResult(sla, measure, target, calendar.id if calendar else None,
                       compliance_target, _row_counts(flags.select(_COUNTED).row(
                           0, named=True)), months, by_month)
    working = np.where(is_open, np.nan, verdicts.elapsed.astype(np.float64))
    return result, scope["row"].to_numpy(), working


#: the counts of a group of tickets, from their flags
_COUNTED = [pl.len().alias("in_scope"),
            *(pl.col(name).sum() for name in COUNTS if name != "in_scope")]


def _row_counts(row: Mapping[str, Any]) -> Counts:
    return Counts(**{name: int(row[name]) for name in COUNTS})


def workday_seconds(calendar: Calendar) -> int:
    """Working seconds of a full working day of ``calendar`` (its longest weekday), for
    reading ``d`` in a KPI target or an SLA target shown as hours."""
    week = calendar.week()
    longest = max((sum(end - start for start, end in ranges) for ranges in week.values()),
                  default=0)
    return longest * 60 or 8 * 3600


def _kpi_values(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per month (and one for ``None``: the whole period) with every KPI measure."""
    answered = pl.col("fr_work").is_not_nan() & pl.col("fr_work").is_not_null()
    resolved_with_contacts = pl.col("resolved").is_not_null() & pl.col("contacts").is_not_null()
    one_contact = (pl.col("contacts") <= 1) & (pl.col("reopened").fill_null(0) == 0)
    aggs = [
        pl.col("fr_work").filter(answered).median().alias("first_response_median"),
        pl.col("fr_work").filter(answered).quantile(0.9, "linear").alias("first_response_p90"),
        (pl.when(resolved_with_contacts.sum() > 0)
         .then(100.0 * (resolved_with_contacts & one_contact).sum()
               / resolved_with_contacts.sum())).alias("fcr"),
        (pl.when(pl.col("csat").is_not_null().sum() > 0)
         .then(100.0 * (pl.col("csat") >= 4).sum() / pl.col("csat").is_not_null().sum())
         ).alias("csat"),
        (pl.when(pl.col("nps").is_not_null().sum() > 0)
         .then(100.0 * ((pl.col("nps") >= 9).sum() - (pl.col("nps") <= 6).sum())
               / pl.col("nps").is_not_null().sum())).alias("nps"),
    ]
    by_month = frame.group_by("month").agg(aggs).with_columns(pl.col("month").cast(pl.Utf8))
    total = frame.select(aggs).with_columns(pl.lit(None, dtype=pl.Utf8).alias("month"))
    return pl.concat([by_month, total.select(by_month.columns)])


def measure_kpis(procedure: Procedure, frame: pl.DataFrame, settings: TicketReportSettings,
                 workday: Mapping[str, int | None]) -> list[KpiResult]:
    values = _kpi_values(frame)
    by_month = {row["month"]: row for row in values.iter_rows(named=True)}
    results = []
    for kpi in procedure.kpis:
        measure = kpi_measure(kpi, procedure, settings)
        if measure is None or measure.startswith("sla:"):
            continue  # not measured from tickets, or an SLA's compliance target
        if measure not in KPI_MEASURES:
            results.append(KpiResult(kpi, None, None, f"unknown measure '{measure}' (use one of "
                                     f"{', '.join(KPI_MEASURES)} or sla:<id>)", None, []))
            continue
        target, problem = _kpi_target(kpi, measure, workday.get(measure))
        months = []
        for month in sorted(m for m in by_month if m is not None):
            value = by_month[month][measure]
            months.append((month, value, None if target is None or value is None
                           else target.met(value)))
        results.append(KpiResult(kpi, measure, target, problem, by_month[None][measure],
                                 months))
    return results


def _kpi_target(kpi: Kpi, measure: str, workday: int | None) -> tuple[Target | None, str | None]:
    if kpi.target is None:
        return None, None
    try:
        target = Target.parse(kpi.target)
    except TargetError as error:
        return None, str(error)
    if target.unit != _KPI_UNITS[measure]:
        wanted = {"seconds": "a duration such as <= 4h", "percent": "a share such as >= 80%",
                  "number": "a number such as >= 30"}[_KPI_UNITS[measure]]
        return None, f"KPI target '{kpi.target}' does not fit {measure}: write {wanted}"
    return target.on_clock(workday), None


def compliance_targets(procedure: Procedure, settings: TicketReportSettings,
                       default: Target) -> tuple[dict[str, Target], list[str]]:
    """Per SLA id: the compliance target a KPI with measure ``sla:<id>`` states, else
    ``default``; and the problems of such KPI targets."""
    targets: dict[str, Target] = {}
    problems: list[str] = []
    for kpi in procedure.kpis:
        measure = kpi_measure(kpi, procedure, settings)
        if measure and measure.startswith("sla:") and kpi.target:
            try:
                target = Target.parse(kpi.target)
            except TargetError as error:
                problems.append(f"{procedure.id}: {error}")
                continue
            if target.unit != "percent":
                problems.append(f"{procedure.id}: KPI target '{kpi.target}' of {kpi.id} is a "
                                "compliance rate: write a share such as >= 95%")
                continue
            targets[measure[4:]] = target
    return {sla.id: targets.get(sla.id, default) for sla in procedure.slas}, problems


def build_report(tickets: Tickets, pauses: StatusChanges | None,
                 procedures: Sequence[tuple[Procedure, str]], project: Project,
                 settings: TicketReportSettings, *, source: str, timezone: str, now: int,
                 period: Period, default_target: Target) -> Report:
    """Everything the outputs show, from the loaded tickets (see the module docstring)."""
    frame = tickets.frame
    reported = pl.col("created") <= now
    if tickets.good is not None:
        reported &= pl.lit(tickets.good)
    if period.start:
        reported &= pl.col("created") >= local_midnight(
            dt.date.fromisoformat(period.start), timezone)
    if period.end:
        reported &= pl.col("created") < local_midnight(
            dt.date.fromisoformat(period.end) + dt.timedelta(days=1), timezone)
    keep = frame.select(reported.alias("keep"))["keep"].fill_null(False)
    # the rows left out keep their place (no copy of the whole table) without a month
    created = frame["created"] if keep.all() else pl.select(
        pl.when(keep).then(frame["created"])).to_series()
    frame = frame.with_columns(months_of(created, timezone))
    if pauses is not None:  # placed on the table's rows once, by id
        pauses = pauses.placed_on(frame)
    procedure_of = frame["procedure"]
    frame = frame.drop("id", "procedure")  # each procedure's rows are copied without them
    warnings: list[str] = []
    results = []
    # one SLA at a time: measured side by side in threads, two SLAs' arrays were alive at
    # once (a quarter more peak memory) for no shorter run on two cores (polars and numpy
    # already use them)
    for procedure, file in procedures:
        mine = (procedure_of == procedure.id).fill_null(False) & keep
        result = _procedure_result(procedure, file, frame, mine, pauses, project, settings,
                                   now, default_target, warnings)
        if result is not None:
            results.append(result)
    months = sorted(frame["month"].unique().drop_nulls().to_list())
    status_bad = pauses.bad if pauses else pl.DataFrame(
        schema={"row": pl.UInt32, "problems": pl.List(pl.Utf8)})
    return Report(source, tickets.rows, tickets.bad, pauses.rows if pauses else 0, status_bad,
                  timezone, now, period, months, results, warnings)


def _procedure_result(procedure: Procedure, file: str, frame: pl.DataFrame,
                      mine: pl.Series, pauses: StatusChanges | None, project: Project,
                      settings: TicketReportSettings, now: int, default_target: Target,
                      warnings: list[str]) -> ProcedureResult | None:
    """One procedure's SLAs and KPIs (None when none of its tickets is reported); its
    warnings are added to ``warnings``."""
    own = frame.select(_SLA_COLUMNS).filter(mine)  # the KPIs' columns are copied after
    if own.is_empty():
        return None
    targets, problems = compliance_targets(procedure, settings, default_target)
    warnings += problems
    own_pauses = pauses and pauses.within(mine.to_numpy())  # placed on this one's rows
    fr_work = np.full(own.height, np.nan)
    own_rows = own["row"].to_numpy()  # ascending: the export's order is kept
    sla_results, response_targets = [], []
    workday: dict[str, int | None] = {}
    for sla in procedure.slas:
        result, rows, working = measure_sla(sla, procedure, own, project, settings,
                                            own_pauses, now, targets[sla.id])
        sla_results.append(result)
        if result.measure == "first_response":
            fr_work[np.searchsorted(own_rows, rows)] = working
            response_targets.append((sla.id, result.target_seconds / 3600))
            calendar = sla_calendar(sla, project)
            workday.setdefault("first_response_median",
                               workday_seconds(calendar) if calendar else None)
    workday["first_response_p90"] = workday.get("first_response_median")
    if not response_targets:  # no response SLA: wall-clock time to first response
        fr_work = (own["first_response"] - own["created"]).cast(pl.Float64).to_numpy()
    height = own.height
    del own
    kpi_frame = frame.select(_KPI_COLUMNS).filter(mine).with_columns(
        pl.Series("fr_work", fr_work, nan_to_null=False))
    kpis = measure_kpis(procedure, kpi_frame, settings, workday)
    warnings += [f"{procedure.id}: {k.problem}" for k in kpis if k.problem]
    answered = fr_work[~np.isnan(fr_work)] / 3600
    return ProcedureResult(procedure, file, height, sla_results, kpis, answered,
                           response_targets)


#: what a procedure's SLAs read of its tickets, and then its KPIs (copied in turn, so that
#: the two copies are not held at once)
_SLA_COLUMNS = ["row", "created", "first_response", "resolved", "month", "priority"]
_KPI_COLUMNS = ["month", "resolved", "contacts", "reopened", "csat", "nps"]
