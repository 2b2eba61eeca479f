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
    model_validator,
)
from pydantic.config import JsonDict

from procflow.durations import DURATION_PATTERN, Duration

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VERSION_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1)]
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]


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
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Owner(Model):
    """Who keeps the procedure current and reviews its changes."""

    name: Text
    email: Text | None = None
    handle: Annotated[str, StringConstraints(pattern=r"^@[\w.-]+(/[\w.-]+)?$")] | None = Field(
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


class Escalation(Model):
    id: Slug
    when: Text = Field(description="The criterion, in words")
    sla: Slug | None = None
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
    id: Slug
    title: Text
    version: Version = Field(description='MAJOR.MINOR.PATCH as a quoted string, e.g. "1.3.0"')
    status: Literal["draft", "active", "retired"] = "draft"
    owner: Owner
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = None
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


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class Calendar(Model):
    id: Slug
    timezone: Text = "UTC"
    days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    hours: Annotated[str, StringConstraints(pattern=_HOURS.pattern)] = "09:00-17:00"
    holidays: list[dt.date] = []

    @model_validator(mode="after")
    def _valid(self) -> Calendar:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{self.timezone}' (use an IANA name such as "
                             "Europe/Warsaw)") from None
        if self.workday_seconds() <= 0:
            raise ValueError(f"hours '{self.hours}': the end must come after the start")
        return self

    def workday_seconds(self) -> int:
        match = _HOURS.match(self.hours)
        assert match is not None
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        return (h2 * 60 + m2 - h1 * 60 - m1) * 60


class RuleSettings(Model):
    disable: list[Annotated[str, StringConstraints(pattern=r"^PF\d{3}$")]] = []
    severity: dict[Annotated[str, StringConstraints(pattern=r"^PF\d{3}$")],
                   Literal["error", "warning"]] = {}


class LimitSettings(Model):
    max_bytes: int = Field(default=2_000_000, gt=0)
    max_depth: int = Field(default=50, gt=1)
    max_alias_nodes: int = Field(default=10_000, ge=0)


class ProjectConfig(Model):
    """The project file procflow.yaml."""

    procflow: Literal[1]
    language: str | None = None
    roles: list[Role] = []
    calendars: list[Calendar] = []
    default_calendar: Slug | None = None
    rules: RuleSettings = RuleSettings()
    limits: LimitSettings = LimitSettings()
    templates: Text | None = Field(default=None, description="Folder of template overrides, "
                                      "relative to procflow.yaml")
