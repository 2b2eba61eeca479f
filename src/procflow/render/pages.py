"""View models: what the page templates see for a procedure, a role card and the catalog.

Ids are resolved here once (roles, steps, templates, priorities, SLAs), durations and dates
are put into words, and the flow is read from ``procflow.flow.Flow``, so templates only lay
text out. References that do not resolve (rule PF005 reports them; rendering does not need a
clean validation) show the id instead of failing. No escaping and no file names here, except
``href``, which only ever joins slugs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from procflow.flow import Flow
from procflow.markup.markdown import Raw
from procflow.model import Calendar, Escalation, Kpi, Procedure, Role, Sla, Step, Template
from procflow.references import known_roles, used_roles
from procflow.render.i18n import Labels
from procflow.render.write import file_name
from procflow.yamlsafe import Limits

#: the largest RACI matrix a page shows: the roles x steps of a procedure at the default
#: limits. A project file may raise the limits (it may come from the pull request under
#: review); past this the matrix is left out, so a page stays linear in roles and steps
RACI_MAX_CELLS = Limits.max_roles * Limits.max_steps


@dataclass(frozen=True)
class RoleRef:
    id: str
    name: str
    role: Role | None = None
    shared: bool = False


@dataclass(frozen=True)
class StepRef:
    id: str
    number: int | None
    title: str
    anchor: str

    @property
    def shown(self) -> str:
        """The step's number, or its id when no step has that id."""
        return str(self.number) if self.number else self.id


@dataclass(frozen=True)
class Check:
    """One tickable box: its storage key (``<step id>/<item>``) and its label text. A step
    without a checklist gets one box, "step done", unless it is a decision."""

    key: str
    text: str


@dataclass(frozen=True)
class Decision:
    when: str
    target: StepRef


@dataclass(frozen=True)
class StepView:
    step: Step
    ref: StepRef
    role: RoleRef
    accountable: RoleRef | None
    consulted: list[RoleRef]
    informed: list[RoleRef]
    duration: str | None
    template: Template | None
    decisions: list[Decision]
    jump: StepRef | None  # where the flow goes when it is not the step below
    is_end: bool
    checks: list[Check]

    @property
    def number(self) -> int:
        return self.ref.number or 0

    @property
    def anchor(self) -> str:
        return self.ref.anchor


@dataclass(frozen=True)
class SlaRow:
    sla: Sla
    name: str
    target: str
    priority: str | None
    clock: str
    calendar: str | None
    start: StepRef | None
    stop: StepRef | None
    calendar_words: str | None = None  # the calendar's hours, holidays and zone, in words
    examples: tuple[str, ...] = ()  # worked examples computed by the SLA engine


@dataclass(frozen=True)
class EscalationRow:
    escalation: Escalation
    triggers: list[str]
    watched: list[StepRef]
    to: RoleRef
    notify: list[RoleRef]


@dataclass(frozen=True)
class RaciRow:
    step: StepView
    cells: list[str]


@dataclass
class Page:
    """A procedure page, or (``card_role`` set) one role's card of it."""

    procedure: Procedure
    t: Labels
    language: str
    ext: str
    review_due: dt.date | None
    overdue: bool
    roles: list[RoleRef]
    steps: list[StepView]
    slas: list[SlaRow]
    escalations: list[EscalationRow]
    templates: list[Template]  # those no step uses (a step shows its own)
    kpis: list[Kpi]
    raci_roles: list[RoleRef]
    raci: list[RaciRow]
    mermaid: str | None = None
    svg: Any = None  # inline SVG markup (HTML-safe), or None
    image: str | None = None  # file name of the diagram image beside the page
    wide_diagram: bool = False  # wider than tall: printed on a landscape page
    card_role: RoleRef | None = None
    cards: list[RoleRef] = field(default_factory=list)
    local_steps: frozenset[str] = frozenset()
    errors: list[str] = field(default_factory=list)  # rule errors: a banner (--allow-errors)

    def href(self, target: StepRef) -> Raw:
        """Link to a step: on this page when it is here, else on the full procedure page."""
        if target.id in self.local_steps:
            return Raw(f"#{target.anchor}")
        return Raw(f"{self.procedure.id}.{self.ext}#{target.anchor}")

    def file(self, suffix: str, role: RoleRef | None = None) -> Raw:
        """The file name of this procedure's page (or a role card) in another format."""
        return Raw(file_name(self.procedure.id, suffix, role.id if role else None))

    @property
    def storage_prefix(self) -> str:
        return f"procflow:{self.procedure.id}@{self.procedure.version}/"


class _Resolver:
    """Names for ids, built once per procedure."""

    def __init__(self, procedure: Procedure, shared_roles: Sequence[Role], labels: Labels,
                 flow: Flow | None = None, project_language: str | None = None) -> None:
        self.procedure = procedure
        self.labels = labels
        self.project_language = project_language
        self.flow = flow or Flow(procedure)
        own = {role.id for role in procedure.roles}
        self.role_refs = {role_id: RoleRef(role_id, role.name, role, role_id not in own)
                          for role_id, role in known_roles(procedure, shared_roles).items()}
        self.refs: dict[str, StepRef] = {}
        for number, step in enumerate(procedure.steps, 1):
            self.refs.setdefault(step.id, StepRef(step.id, number, step.title, f"step-{step.id}"))
        self.templates = {template.id: template for template in procedure.templates}
        self.priorities = {priority.id: priority.name for priority in procedure.priorities}

    def role(self, role_id: str) -> RoleRef:
        return self.role_refs.get(role_id) or RoleRef(role_id, role_id)

    def step(self, step_id: str) -> StepRef:
        return self.refs.get(step_id) or StepRef(step_id, None, step_id, f"step-{step_id}")

    def duration(self, value: Any) -> str | None:
        return self.labels.duration(value) if value is not None else None


def procedure_page(procedure: Procedure, *, shared_roles: Sequence[Role], labels: Labels,
                   ext: str, today: dt.date, by_role: bool = False,
                   flow: Flow | None = None,
                   calendars: Callable[[str | None], Calendar | None] | None = None,
                   project_language: str | None = None) -> Page:
    """The view of a whole procedure (``by_role``: it links to its role cards; ``flow``: the
    procedure's, when the caller has it already). ``shared_roles`` come in the page's
    language already (``Project.shared_roles_in``); a calendar is named in ``labels.language``,
    else in ``project_language`` (``model.in_language``)."""
    names = _Resolver(procedure, shared_roles, labels, flow, project_language)
    steps = [_step_view(names, position, step) for position, step in enumerate(procedure.steps)]
    used = used_roles(procedure)
    roles = [ref for ref in names.role_refs.values() if not ref.shared or ref.id in used]
    roles += [names.role(role_id) for role_id in used if role_id not in names.role_refs]
    due, overdue = review_due(procedure, today)
    raci_roles = [ref for ref in roles if ref.id in used]
    if len(raci_roles) * len(steps) > RACI_MAX_CELLS:  # limits raised far: no quadratic page
        raci_roles = []
    return Page(
        procedure=procedure, t=labels, language=labels.language, ext=ext, review_due=due,
        overdue=overdue, roles=roles, steps=steps,
        slas=[_sla_row(names, sla, calendars) for sla in procedure.slas],
        escalations=[_escalation_row(names, escalation) for escalation in procedure.escalations],
        templates=[template for template in procedure.templates
                   if not any(step.template == template.id for step in procedure.steps)],
        kpis=list(procedure.kpis), raci_roles=raci_roles,
        raci=[RaciRow(view, [_raci_cell(view.step, ref.id) for ref in raci_roles])
              for view in steps] if raci_roles else [],
        cards=[ref for ref in roles if _has_card(procedure, ref.id)] if by_role else [],
        local_steps=frozenset(step.id for step in procedure.steps),
    )


def review_due(procedure: Procedure, today: dt.date) -> tuple[dt.date | None, bool]:
    """When the procedure's next review is due (None: no review set), and whether that is
    before ``today``."""
    due = procedure.review.due() if procedure.review else None
    return due, due is not None and due < today


def role_card(page: Page, role: RoleRef) -> Page:
    """One role's card: only its steps (with the message templates they use), and the
    escalations it takes over, is notified of, or that name one of its steps."""
    steps = [view for view in page.steps if view.step.role == role.id]
    mine = {view.step.id for view in steps}
    escalations = [row for row in page.escalations
                   if row.to.id == role.id or any(ref.id == role.id for ref in row.notify)
                   or mine.intersection(row.escalation.steps or ())]
    return Page(
        procedure=page.procedure, t=page.t, language=page.language, ext=page.ext,
        review_due=page.review_due, overdue=page.overdue, roles=[role], steps=steps, slas=[],
        escalations=escalations, templates=[], kpis=[], raci_roles=[], raci=[], card_role=role,
        local_steps=frozenset(mine), errors=page.errors,
    )


def _has_card(procedure: Procedure, role_id: str) -> bool:
    return any(step.role == role_id for step in procedure.steps) or any(
        escalation.to == role_id or role_id in escalation.notify
        for escalation in procedure.escalations)


def _step_view(names: _Resolver, position: int, step: Step) -> StepView:
    flow = names.flow
    ref = names.step(step.id)
    decisions = [Decision(branch.when, names.step(branch.next)) for branch in step.branches or []]
    jump = None
    if step.next is not None and not (position + 1 < len(flow.steps)
                                      and flow.steps[position + 1].id == step.next):
        jump = names.step(step.next)
    if step.checklist:
        checks = [Check(f"{step.id}/{k}", text) for k, text in enumerate(step.checklist, 1)]
    elif step.branches:
        checks = []  # a decision is answered by following one of its links
    else:
        checks = [Check(f"{step.id}/done", names.labels("step_done"))]
    return StepView(
        step=step, ref=ref, role=names.role(step.role),
        accountable=names.role(step.accountable) if step.accountable else None,
        consulted=[names.role(r) for r in step.consulted],
        informed=[names.role(r) for r in step.informed],
        duration=names.duration(step.max_duration),
        template=names.templates.get(step.template) if step.template else None,
        decisions=decisions, jump=jump, is_end=flow.is_end(position), checks=checks,
    )


def _sla_row(names: _Resolver, sla: Sla,
             calendars: Callable[[str | None], Calendar | None] | None = None) -> SlaRow:
    from procflow.sla.words import describe_calendar, worked_examples

    labels = names.labels
    calendar = calendars(sla.calendar) if calendars is not None else None
    shown = calendar is not None and sla.shows_calendar
    words = describe_calendar(calendar, labels) if shown and calendar is not None else None
    return SlaRow(
        calendar_words=words, examples=tuple(worked_examples(sla, calendar, labels)),
        sla=sla, name=sla.name or sla.id, target=labels.duration(sla.target),
        priority=names.priorities.get(sla.priority, sla.priority) if sla.priority else None,
        clock=labels(f"clock_{sla.clock}"),
        calendar=calendar.display_name(labels.language, names.project_language)
        if shown and calendar is not None else sla.calendar,
        start=names.step(sla.start) if sla.start else None,
        stop=names.step(sla.stop) if sla.stop else None,
    )


def _escalation_row(names: _Resolver, escalation: Escalation) -> EscalationRow:
    labels = names.labels
    triggers = []
    if escalation.sla:
        sla = next((s for s in names.procedure.slas if s.id == escalation.sla), None)
        key = "sla_warning" if escalation.at == "warning" else "sla_breach"
        triggers.append(labels(key, name=(sla.name or sla.id) if sla else escalation.sla))
    if escalation.after is not None:
        triggers.append(labels("after_duration",
                               duration=labels.duration(escalation.after, "after")))
    return EscalationRow(
        escalation=escalation, triggers=triggers,
        watched=[names.step(step_id) for step_id in escalation.steps or []],
        to=names.role(escalation.to), notify=[names.role(r) for r in escalation.notify],
    )


def _raci_cell(step: Step, role_id: str) -> str:
    letters = [letter for letter, holds in (
        ("R", step.role == role_id), ("A", step.accountable == role_id),
        ("C", role_id in step.consulted), ("I", role_id in step.informed)) if holds]
    return "/".join(letters)


@dataclass(frozen=True)
class CatalogEntry:
    procedure: Procedure
    pages: Mapping[str, str]  # suffix -> file name
    review_due: dt.date | None
    overdue: bool
    cards: list[tuple[RoleRef, Mapping[str, str]]]  # suffix -> file name, per role
    language: str = "en"  # the language of the procedure's pages (its title, its cards)


def catalog_entry(procedure: Procedure, pages: Mapping[str, str],
                  cards: Sequence[tuple[RoleRef, Mapping[str, str]]], today: dt.date,
                  language: str = "en") -> CatalogEntry:
    """A procedure's row in the catalog: ``pages`` and ``cards`` name the files it got."""
    due, overdue = review_due(procedure, today)
    return CatalogEntry(procedure, {suffix: Raw(name) for suffix, name in pages.items()}, due,
                        overdue, [(ref, {suffix: Raw(name) for suffix, name in files.items()})
                                  for ref, files in cards], language)


@dataclass(frozen=True)
class CatalogLink:
    """The catalog in another language: its tag, its name in itself ("Polski") and its file
    per suffix (``.md``, ``.html``)."""

    language: str
    name: str
    files: Mapping[str, str]


@dataclass
class Catalog:
    """One catalog page: every procedure rendered, in the words of ``language``; ``others``
    are the same catalog in the other languages the procedures use."""

    t: Labels
    language: str
    entries: list[CatalogEntry]
    today: dt.date
    others: list[CatalogLink] = field(default_factory=list)

    def foreign(self, entry: CatalogEntry) -> str | None:
        """The procedure's language when it is not the catalog's (its title is marked with
        it: ``lang`` in HTML, so screen readers read it right), else None."""
        return entry.language if entry.language.lower() != self.language.lower() else None
