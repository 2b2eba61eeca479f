"""The pydantic models of the procedure format (shared/spec/procedure-format.md) and of the
project file ``procflow.yaml``. No I/O here: the loader feeds these models plain data.

Every model forbids unknown fields. Field names are the contract; do not rename them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from procflow.durations import DURATION_PATTERN, Duration
from procflow.yamlsafe import Limits

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: a BCP 47-like language tag (en, pl, pt-BR, zh-Hant-TW); it names label catalogues, so
#: nothing that could be a path gets through
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
VERSION_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
#: procedure ids a file may not take: ``procflow.yaml`` is the project file and ``index`` the
#: rendered catalog (index.md, index.html)
RESERVED_IDS = frozenset({"procflow", "index"})
Text = Annotated[str, StringConstraints(min_length=1)]
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]
LANGUAGE_MAX_LENGTH = 35
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN,
                                               max_length=LANGUAGE_MAX_LENGTH)]


def suggest_slug(text: str) -> str:
    """A valid id close to ``text`` (``Take the Call!`` -> ``take-the-call``), or ``""``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:64].strip("-")


def _to_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    return Duration.parse(value)


DurationField = Annotated[
    Duration,
    BeforeValidator(_to_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN,
                    "description": "A duration: 30s, 15m, 4h, 1h30m, 2d, 1w, or ISO 8601 (PT4H)",
                    "examples": ["15m", "4h", "2d", "PT4H"]}),
]


class Model(BaseModel):
    #: validators are built at a model's first use, not at import: a run builds the few it
    #: validates with (Procedure, ProjectConfig), not all twenty (start-up, issue 10)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False,
                              defer_build=True)


class Owner(Model):
    """Who keeps the procedure current and reviews its changes."""

    name: Text
    email: Text | None = None
    handle: Annotated[str, StringConstraints(
        pattern=r"^@[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?$", max_length=100)] | None = Field(
        default=None, description="A git host user or team, such as @acme/cs-quality")


class Customer(Model):
    type: Literal["external", "internal"]
    name: Text | None = None


class Review(Model):
    last: dt.date = Field(description="Date of the last review, YYYY-MM-DD")
    every: DurationField = Field(description="Review interval, such as 26w")

    def due(self) -> dt.date:
        try:
            return self.last + dt.timedelta(seconds=self.every.total_seconds("calendar"))
        except OverflowError:  # past the year 9999: never due
            return dt.date.max


class Role(Model):
    id: Slug
    name: Text
    department: Text | None = None
    responsibilities: list[Text] = []


#: text of ``procflow.yaml`` that procedures in several languages show (a shared role's name,
#: a calendar's name): one text, or one per language, ``{en: Team lead, pl: Kierownik
#: zespołu}``; ``in_language`` picks the one a page shows
Translations = dict[str, str]
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a language tag the format accepts (en, pl, pt-BR)."""
    return len(tag) <= LANGUAGE_MAX_LENGTH and bool(_LANGUAGE.match(tag))
_LOCAL_TEXT_SCHEMA: JsonDict = {"anyOf": [
    {"type": "string", "minLength": 1},
    {"type": "object", "minProperties": 1,
     "propertyNames": {"pattern": LANGUAGE_PATTERN, "maxLength": LANGUAGE_MAX_LENGTH},
     "additionalProperties": {"type": "string", "minLength": 1}}],
    "description": "Text, or text per language: {en: Team lead, pl: Kierownik zespołu}",
    "examples": ["Team lead", {"en": "Team lead", "pl": "Kierownik zespołu"}]}


def _local_text(value: Any) -> Any:
    """Check a text given plainly or per language with one plain message (a union's errors
    would name pydantic's internals)."""
    if isinstance(value, str):
        if not value:
            raise ValueError("the text is empty")
        return value
    if not isinstance(value, dict) or not value:
        raise ValueError("expected text, or text per language such as "
                         "{en: Team lead, pl: Kierownik zespołu}")
    for tag, text in value.items():
        if not isinstance(tag, str) or not is_language_tag(tag):
            raise ValueError(f"'{tag}' is not a language tag such as en, pl or pt-BR "
                             "(quote it if YAML reads it as something else: \"no\")")
        if not isinstance(text, str) or not text:
            raise ValueError(f"the {tag} text is not text (quote it if YAML reads it as a "
                             "number or a date)" if text != "" else f"the {tag} text is empty")
    return value


LocalText = Annotated[str | Translations, BeforeValidator(_local_text),
                      WithJsonSchema(_LOCAL_TEXT_SCHEMA)]


def in_language(text: LocalText, *languages: str | None) -> str:
    """The text of ``text`` for the first of ``languages`` it has, else the first translation
    written; a plain string is the same in every language. A language matches a translation
    of the same tag (case aside), then of its primary language (``pl-PL`` takes ``pl``).

    The fallback every page, role card and catalog uses: the procedure's language, then the
    project's language, then the first translation written."""
    if isinstance(text, str):
        return text
    found = translation(text, *languages)
    return found if found is not None else next(iter(text.values()))


def translation(text: Translations, *languages: str | None) -> str | None:
    """The translation ``in_language`` picks for one of ``languages``; None when ``text``
    has none for any of them (no first-written fallback)."""
    by_tag = {tag.lower(): value for tag, value in text.items()}
    for language in languages:
        if not language:
            continue
        tag = language.lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in by_tag:
                return by_tag[candidate]
    return None


class SharedRole(Model):
    """A role of ``procflow.yaml``, usable by id in every procedure; its name, department and
    responsibilities may be given per language (``Translations``)."""

    id: Slug
    name: LocalText
    department: LocalText | None = None
    responsibilities: list[LocalText] = []

    def in_language(self, *languages: str | None) -> Role:
        """The role as a procedure in ``languages`` (first choice first) shows it."""
        return Role(id=self.id, name=in_language(self.name, *languages),
                    department=in_language(self.department, *languages)
                    if self.department is not None else None,
                    responsibilities=[in_language(item, *languages)
                                      for item in self.responsibilities])

    def texts(self) -> list[tuple[tuple[str | int, ...], LocalText]]:
        """Every translatable text with its path under the role (for PF114)."""
        found: list[tuple[tuple[str | int, ...], LocalText]] = [(("name",), self.name)]
        if self.department is not None:
            found.append((("department",), self.department))
        found += [(("responsibilities", k), item)
                  for k, item in enumerate(self.responsibilities)]
        return found


class Priority(Model):
    id: Slug
    name: Text
    description: Text | None = None


class Branch(Model):
    when: Text = Field(description="The condition of this outcome, in words")
    next: Slug = Field(description="The step this outcome leads to")


_NAMED: JsonDict = {"type": "string"}  # a key given a value (``next: null`` names no step)
#: ``_one_way_on`` in JSON Schema: ``next``, ``branches`` and ``end: true`` exclude each other
_ONE_WAY_ON: JsonDict = {"allOf": [
    {"not": {"required": ["next", "branches"],
             "properties": {"next": _NAMED, "branches": {"type": "array"}}}},
    {"if": {"required": ["end"], "properties": {"end": {"const": True}}},
     "then": {"not": {"anyOf": [{"required": ["next"], "properties": {"next": _NAMED}},
                                {"required": ["branches"],
                                 "properties": {"branches": {"type": "array"}}}]}}},
]}


class Step(Model):
    model_config = ConfigDict(json_schema_extra=_ONE_WAY_ON)

    id: Slug
    title: Text
    role: Slug = Field(description="Who is responsible (the R of RACI)")
    accountable: Slug | None = None
    consulted: list[Slug] = []
    informed: list[Slug] = []
    max_duration: DurationField | None = None
    instructions: Text | None = None
    checklist: list[Text] = []
    tools: list[Text] = []
    template: Slug | None = None
    branches: Annotated[list[Branch], Field(min_length=2)] | None = None
    next: Slug | None = None
    end: bool = False

    @model_validator(mode="after")
    def _one_way_on(self) -> Step:
        ways = [name for name, used in (("branches", self.branches is not None),
                                        ("next", self.next is not None), ("end: true", self.end))
                if used]
        if len(ways) > 1:
            raise ValueError(f"step '{self.id}' has {' and '.join(ways)}: they exclude each "
                             "other; keep one")
        return self


class Sla(Model):
    id: Slug
    name: Text | None = None
    target: DurationField
    priority: Slug | None = None
    clock: Literal["calendar", "business"] = "calendar"
    calendar: Slug | None = None
    start: Slug | None = None
    stop: Slug | None = None
    pause: list[Slug] = Field(default=[], description="Step ids during which the clock stops "
                              "(such as waiting for the customer)")
    warn_before: DurationField | None = Field(default=None, description="How long before the "
                                              "breach a warning is due, on the SLA's clock")

    @property
    def shows_calendar(self) -> bool:
        """Whether a page names the SLA's calendar (its own, else the default one): on the
        business clock, or when it names one; a 24x7 clock that names none takes only the
        default calendar's zone."""
        return self.clock == "business" or self.calendar is not None


class Escalation(Model):
    id: Slug
    when: Text = Field(description="The criterion, in words")
    sla: Slug | None = None
    at: Literal["breach", "warning"] = Field(
        default="breach", description="With sla: trigger at the SLA's breach, or at its "
        "warning (its warn_before)")
    after: DurationField | None = None
    steps: list[Slug] | None = None
    to: Slug
    notify: list[Slug] = []
    action: Text | None = None


class Template(Model):
    id: Slug
    channel: Literal["email", "phone", "chat", "sms", "letter", "other"]
    subject: Text | None = None
    body: Text


class Kpi(Model):
    id: Slug
    name: Text
    target: Text | None = None
    source: Text | None = None
    frequency: Text | None = None


class Procedure(Model):
    """One procedure file."""

    model_config = ConfigDict(title="procflow procedure", json_schema_extra={
        "$id": "https://procflow.dev/schema/procedure-1.json"})

    procflow: Literal[1] = Field(description="Format version; always 1")
    id: Slug = Field(json_schema_extra={"not": {"enum": [*sorted(RESERVED_IDS)]}})
    title: Text
    version: Version = Field(description='MAJOR.MINOR.PATCH as a quoted string, e.g. "1.3.0"')
    status: Literal["draft", "active", "retired"] = "draft"
    owner: Owner
    language: LanguageTag | None = None
    purpose: Text | None = None
    scope: Text | None = None
    customer: Customer | None = None
    triggers: list[Text] = []
    review: Review | None = None
    tags: list[Text] = []
    related: list[Slug] = []
    roles: list[Role] = []
    priorities: list[Priority] = []
    steps: Annotated[list[Step], Field(min_length=1)]
    slas: list[Sla] = []
    escalations: list[Escalation] = []
    templates: list[Template] = []
    kpis: list[Kpi] = []

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"the id '{value}' is reserved: '{value}.yaml' or its page would "
                             "take the place of the project file or the catalog; choose "
                             "another id")
        return value


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_DAY = "(mon|tue|wed|thu|fri|sat|sun)"
HourRange = Annotated[str, StringConstraints(pattern=_HOURS.pattern)]
#: one range of working hours, or several with breaks between them ([] is a day off)
DayHours = HourRange | list[HourRange]
#: a weekday or a range of weekdays: mon, mon-thu, sat-sun
WeekdayKey = Annotated[str, StringConstraints(pattern=f"^{_DAY}(-{_DAY})?$")]


def hour_range_minutes(text: str) -> tuple[int, int]:
    """``"08:00-12:30"`` as minutes after midnight, (480, 750); the end may be 24:00."""
    match = _HOURS.match(text)
    assert match is not None, text  # the schema pattern has checked it
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    return h1 * 60 + m1, h2 * 60 + m2


def weekdays_of(key: str) -> list[Weekday]:
    """The weekdays a key of ``hours`` names: ``mon-thu`` is Monday to Thursday."""
    first, _, last = key.partition("-")
    start, stop = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    return [WEEKDAYS[(start + k) % 7] for k in range((stop - start) % 7 + 1)]


class PublicHolidays(Model):
    """Public holidays from the ``holidays`` package, with dates added and removed."""

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")] = Field(
        description="ISO 3166-1 code of the country, such as PL, CZ, DE")
    subdivision: Annotated[str, StringConstraints(min_length=1, max_length=10)] | None = Field(
        default=None, description="A subdivision of the country, such as BY for Bavaria")
    add: list[dt.date] = Field(default=[], description="More days off, such as a company day")
    remove: list[dt.date] = Field(default=[], description="Public holidays worked as usual")


class Calendar(Model):
    """Working time: hours per weekday (with breaks), holidays, exceptions, a time zone."""

    id: Slug
    name: LocalText | None = Field(default=None, description="What pages call the calendar "
                                   "(else its id); one text or one per language: {en: Office "
                                   "hours, pl: Godziny biura}")
    timezone: Text = "UTC"
    days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    hours: HourRange | list[HourRange] | dict[WeekdayKey, DayHours] = Field(
        default="09:00-17:00", description="The working hours of each day in days (a range or a "
        "list of ranges), or per weekday: {mon-thu: [\"08:00-12:00\", \"12:30-16:30\"], fri: "
        "\"08:00-14:00\"}")
    holidays: list[dt.date] | PublicHolidays = Field(
        default=[], description="Days off: a list of dates, or {country: PL} for the public "
        "holidays of a country (and subdivision) with dates to add and remove")
    exceptions: dict[dt.date, DayHours] = Field(
        default={}, description="Single dates with other hours, such as a half-day on "
        "2026-12-24: \"08:00-12:00\" ([] closes the day)")

    @model_validator(mode="after")
    def _valid(self) -> Calendar:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{self.timezone}' (use an IANA name such as "
                             "Europe/Warsaw)") from None
        if isinstance(self.hours, dict):
            if "days" in self.model_fields_set:
                raise ValueError("hours per weekday name the working days themselves: drop days")
            seen: dict[str, str] = {}
            for key in self.hours:
                for day in weekdays_of(key):
                    if day in seen:
                        raise ValueError(f"hours: {day} is in both '{seen[day]}' and '{key}'; "
                                         "give each weekday once")
                    seen[day] = key
        return self

    def week(self) -> dict[Weekday, list[tuple[int, int]]]:
        """The working hours of each weekday as written, in minutes after midnight (ranges
        may still be reversed or overlap: PF110 reports those)."""
        if isinstance(self.hours, dict):
            week: dict[Weekday, list[tuple[int, int]]] = {day: [] for day in WEEKDAYS}
            for key, value in self.hours.items():
                for day in weekdays_of(key):
                    week[day] = day_ranges(value)
            return week
        ranges = day_ranges(self.hours)
        return {day: list(ranges) if day in self.days else [] for day in WEEKDAYS}

    def workday_seconds(self) -> int:
        """The length of an average working day of the regular week: how long a ``d`` lasts
        where one fixed length is needed (PF102, diff). 0 for a week without working time."""
        lengths = [sum(max(0, end - start) for start, end in ranges) * 60
                   for ranges in self.week().values()]
        working = [length for length in lengths if length > 0]
        return sum(working) // len(working) if working else 0

    def display_name(self, *languages: str | None) -> str:
        """What a page in ``languages`` calls the calendar: its name, else its id."""
        return in_language(self.name, *languages) if self.name is not None else self.id


def day_ranges(value: str | list[str]) -> list[tuple[int, int]]:
    """The ranges of one day's hours, in minutes after midnight, in written order."""
    return [hour_range_minutes(text) for text in ([value] if isinstance(value, str) else value)]


class RuleSettings(Model):
    disable: list[Annotated[str, StringConstraints(pattern=r"^PF\d{3}$")]] = []
    severity: dict[Annotated[str, StringConstraints(pattern=r"^PF\d{3}$")],
                   Literal["error", "warning"]] = {}


DEFAULT_LIMITS = Limits()  # the defaults are defined once, in yamlsafe.Limits


class LimitSettings(Model):
    """Bounds on the work one file may cause (defaults far above real procedures, which
    have a few roles and tens of steps); each has a ceiling so no setting can overflow."""

    max_bytes: int = Field(default=DEFAULT_LIMITS.max_bytes, gt=0, le=1_000_000_000)
    max_depth: int = Field(default=DEFAULT_LIMITS.max_depth, gt=1, le=10_000)
    max_alias_nodes: int = Field(default=DEFAULT_LIMITS.max_alias_nodes, ge=0, le=100_000_000)
    max_roles: int = Field(default=DEFAULT_LIMITS.max_roles, gt=0, le=100_000)
    max_steps: int = Field(default=DEFAULT_LIMITS.max_steps, gt=0, le=100_000)
    max_branches: int = Field(default=DEFAULT_LIMITS.max_branches, ge=2, le=10_000)


class TicketReportSettings(Model):
    """The ``report:`` section of procflow.yaml: how ``procflow report`` reads the service
    desk's ticket export (the fields are explained in docs/procedure-format.md)."""

    preset: Literal["zendesk", "freshdesk", "jira"] | None = None
    columns: dict[str, Text] = {}
    timezone: Text | None = None
    time_format: Text | None = None
    procedure: Slug | None = None
    compliance_target: Text = "95%"
    warn_before: DurationField | None = None
    pause_statuses: list[Text] = []
    statuses: dict[str, Slug] = {}
    priorities: dict[str, Slug] = {}
    slas: dict[str, Literal["first_response", "resolution"]] = {}
    kpis: dict[str, Text] = {}


class ProjectConfig(Model):
    """The project file procflow.yaml."""

    procflow: Literal[1]
    language: LanguageTag | None = None
    roles: list[SharedRole] = []
    calendars: list[Calendar] = []
    default_calendar: Slug | None = None
    # the defaults, made without validating (nothing to check) so importing this module
    # builds no validator
    rules: RuleSettings = RuleSettings.model_construct()
    limits: LimitSettings = LimitSettings.model_construct()
    templates: Text | None = Field(default=None, description="Folder of template overrides, "
                                      "relative to procflow.yaml")
    report: TicketReportSettings = TicketReportSettings.model_construct()
