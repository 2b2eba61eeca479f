"""The rule registry: every rule of the format, one small module each.

A rule is a class with a ``code``, a default ``severity``, a one-line ``summary`` and a
docstring that is its user documentation (what it finds, why it matters, a failing and a
passing example; ``docs/rules/`` is generated from it). ``check`` yields ``Issue``s and does
nothing else: no printing, no file reads, no severity (the engine in ``procflow.lint`` stamps
severity from the project's ``rules:`` settings and places each issue at its line and column).

Rules PF001-PF003 are found while loading (``procflow.loader``); their classes here carry the
documentation and the default severity. Tree rules (PF008, PF009) see every procedure at once;
project rules (PF109-PF111) check the calendars of ``procflow.yaml``.
"""

from __future__ import annotations

from procflow.rules.base import (
    CalendarRule,
    LoadRule,
    ProjectRule,
    Rule,
    RuleContext,
    TreeEntry,
    TreeRule,
    configured_severity,
    entries_by_id,
    issue,
)

__all__ = ["CalendarRule", "LoadRule", "ProjectRule", "Rule", "RuleContext", "TreeEntry",
           "TreeRule", "all_rules", "configured_severity", "entries_by_id", "issue",
           "rules_by_code"]


def all_rules() -> list[Rule]:
    """Every rule, in code order. Adding a rule is adding its module and one line here."""
    from procflow.rules import (
        pf001_not_yaml,
        pf002_unsafe_yaml,
        pf003_schema,
        pf004_duplicate_id,
        pf005_unknown_reference,
        pf006_unreachable_step,
        pf007_no_way_to_end,
        pf008_duplicate_procedure,
        pf009_unknown_related,
        pf101_unused_role,
        pf102_sla_unreachable,
        pf103_sla_unwatched,
        pf104_review_overdue,
        pf105_long_step,
        pf106_file_name,
        pf107_no_review,
        pf108_unused_template,
        pf109_no_working_time,
        pf110_bad_hours,
        pf111_unknown_holidays,
        pf112_business_clock_without_calendar,
        pf113_sla_never_met,
        pf114_untranslated_shared_name,
    )

    modules = [pf001_not_yaml, pf002_unsafe_yaml, pf003_schema, pf004_duplicate_id,
               pf005_unknown_reference, pf006_unreachable_step, pf007_no_way_to_end,
               pf008_duplicate_procedure, pf009_unknown_related, pf101_unused_role,
               pf102_sla_unreachable, pf103_sla_unwatched, pf104_review_overdue,
               pf105_long_step, pf106_file_name, pf107_no_review, pf108_unused_template,
               pf109_no_working_time, pf110_bad_hours, pf111_unknown_holidays,
               pf112_business_clock_without_calendar, pf113_sla_never_met,
               pf114_untranslated_shared_name]
    return [module.RULE for module in modules]


def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in all_rules()}
