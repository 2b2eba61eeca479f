"""PF114: a shared name of procflow.yaml that a procedure's page shows in another language."""

from __future__ import annotations

from collections.abc import Iterable

from procflow.findings import Issue, Severity, YamlPath
from procflow.model import LocalText, translation
from procflow.rules.base import Rule, RuleContext, issue


class UntranslatedSharedName(Rule):
    """Finds the shared roles and calendars of `procflow.yaml` that a procedure shows (the
    roles its steps and escalations name, the calendar of each SLA whose page names one) and
    that have no text in the procedure's language: a name, department or responsibility given
    as a translation map without that language, or as a plain string in a project whose
    `language` is another one (a plain string is read as the project's language; without a
    project language it fits every language). The page then falls back to the project's
    language, then to the first translation written (see "Translations" in the format).

    **Why it matters:** a Polish agent reads a Polish page that names "Team lead" and
    "Calendar: Office hours" in English: a page should speak one language, and screen readers
    read the English words with Polish pronunciation.

    **Fails:**

    ```yaml
    # file: procflow.yaml
    procflow: 1
    language: en
    roles:
      - {id: team-lead, name: Team lead}
    ```

    ```yaml
    procflow: 1
    id: reklamacja
    title: Reklamacja
    version: "1.0.0"
    language: pl
    owner: {name: Anna Nowak}
    roles: [{id: konsultant, name: Konsultant}]
    steps:
      - {id: przyjmij, title: Przyjmij zgłoszenie, role: konsultant, accountable: team-lead}
    ```

    **Passes:** the shared role's name in Polish too.

    ```yaml
    # file: procflow.yaml
    procflow: 1
    language: en
    roles:
      - {id: team-lead, name: {en: Team lead, pl: Kierownik zespołu}}
    ```

    ```yaml
    procflow: 1
    id: reklamacja
    title: Reklamacja
    version: "1.0.0"
    language: pl
    owner: {name: Anna Nowak}
    roles: [{id: konsultant, name: Konsultant}]
    steps:
      - {id: przyjmij, title: Przyjmij zgłoszenie, role: konsultant, accountable: team-lead}
    ```
    """

    code = "PF114"
    severity = Severity.WARNING
    summary = "a shared role or calendar name with no text in the procedure's language"

    def check(self, ctx: RuleContext) -> Iterable[Issue]:
        config = ctx.project.config
        language = ctx.procedure.language or config.language or "en"
        own = {role.id for role in ctx.procedure.roles}
        shared = {role.id: index for index, role in enumerate(config.roles)}
        seen_roles: set[str] = set()
        for reference in ctx.references:
            if reference.kind != "role" or reference.name in own \
                    or reference.name in seen_roles or reference.name not in shared:
                continue
            seen_roles.add(reference.name)
            index = shared[reference.name]
            role = config.roles[index]
            missing = [field for field, text in role.texts()
                       if not _speaks(text, language, config.language)]
            if missing:
                yield self._issue(ctx, f"shared role '{role.id}'", ("roles", index), missing,
                                  language, reference.path)
        calendars = {calendar.id: index for index, calendar in enumerate(config.calendars)}
        seen_calendars: set[str] = set()  # a calendar may share an id with a role
        for position, sla in enumerate(ctx.procedure.slas):
            calendar = ctx.project.calendar(sla.calendar)
            if calendar is None or calendar.name is None or not sla.shows_calendar \
                    or calendar.id in seen_calendars:
                continue
            seen_calendars.add(calendar.id)
            if not _speaks(calendar.name, language, config.language):
                yield self._issue(ctx, f"calendar '{calendar.id}'",
                                  ("calendars", calendars[calendar.id]), [("name",)], language,
                                  ("slas", position, "calendar" if sla.calendar else "clock"))

    def _issue(self, ctx: RuleContext, what: str, node: YamlPath,
               missing: list[tuple[str | int, ...]], language: str, at: YamlPath) -> Issue:
        line = ctx.line_of((*node, *missing[0]), in_project=True)
        where = f"procflow.yaml (line {line})" if line else "procflow.yaml"
        fields = ", ".join(_field(path) for path in missing)
        first = ctx.project.config.language or "en"
        example = f"{{{first}: …, {language}: …}}"
        if missing[0][0] == "responsibilities":
            example = f"[{example}]"
        return issue(self.code, f"{what} has no '{language}' text for {fields} in {where}, so "
                     f"this page shows it in another language; give it per language, such as "
                     f"{missing[0][0]}: {example}", *at)


def _speaks(text: LocalText, language: str, project_language: str | None) -> bool:
    """Whether ``text`` has a version in ``language`` (a plain string is in the project's
    language, or in any when the project has none)."""
    if isinstance(text, str):
        return project_language is None or translation({project_language: text},
                                                       language) is not None
    return translation(text, language) is not None


def _field(path: tuple[str | int, ...]) -> str:
    """``("responsibilities", 1)`` -> ``responsibilities[2]`` (counted from 1 for people)."""
    return "".join(f"[{part + 1}]" if isinstance(part, int) else part for part in path)


RULE = UntranslatedSharedName()
