"""Labels: the words procflow adds around a procedure's own text ("Step", "Owner", "2 days"),
in the procedure's language, with CLDR plural forms from Babel.

Catalogues are YAML files ``i18n/<language>.yaml`` in the templates folders: the project's
folder first, then the packaged defaults. A label is looked up along the chain
``<tag>`` (pl-PL) -> primary language (pl) -> English, each in the project's folder then the
packaged one, so a project can override one label or add a whole language. A plural label
is a mapping of CLDR categories to text; the category comes from the plural rules of the
language of the catalogue that supplied the label (English words take English rules).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from procflow.durations import Duration
from procflow.errors import ProcflowError
from procflow.locales import locale_of

if TYPE_CHECKING:
    from babel import Locale

FALLBACK = "en"
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
Entry = str | Mapping[str, str]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class LabelProblem(ProcflowError):
    """A label catalogue that does not load, or a label that no catalogue has."""


@dataclass(frozen=True)
class Catalogue:
    language: str
    entries: Mapping[str, Entry]


def language_chain(language: str) -> list[str]:
    """``pl-PL`` -> ``["pl-pl", "pl", "en"]``: the languages to look a label up in."""
    tag = language.replace("_", "-").lower()
    chain = [tag]
    primary = tag.split("-")[0]
    for candidate in (primary, FALLBACK):
        if candidate not in chain:
            chain.append(candidate)
    return chain


def _read_catalogue(path: Path) -> Catalogue | None:
    import yaml

    if not path.is_file():
        return None
    folder = os.path.realpath(path.parent.parent)  # the templates folder the catalogue is in
    if not os.path.realpath(path).startswith(folder + os.sep):
        raise LabelProblem(f"label catalogue {path}: a symbolic link out of the templates "
                           "folder; not read")
    from procflow.yamlsafe import Limits, YamlFailure, parse

    limits = Limits()  # a catalogue may come from a pull request: the procedures' bounds
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
        data = parse(raw.decode("utf-8"), limits)[0]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, YamlFailure) as error:
        raise LabelProblem(f"label catalogue {path}: cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise LabelProblem(f"label catalogue {path}: expected a mapping of label: text")
    for key, value in data.items():
        _check_entry(path, key, value)
    return Catalogue(path.stem.lower(), data)


def _check_entry(path: Path, key: object, value: object) -> None:
    where = f"label catalogue {path}: label {key!r}"
    if not isinstance(key, str):
        raise LabelProblem(f"{where}: a label name is text")
    if isinstance(value, str):
        return
    if not isinstance(value, dict):
        raise LabelProblem(f"{where}: expected text, or plural forms such as "
                           "{one: '{n} day', other: '{n} days'}")
    unknown = [category for category in value if category not in CATEGORIES]
    if unknown or "other" not in value or not all(isinstance(v, str) for v in value.values()):
        raise LabelProblem(f"{where}: plural forms are text under the CLDR categories "
                           f"{', '.join(CATEGORIES)}; 'other' is required")


def _plural_rule(language: str) -> Locale:
    locale = locale_of(language) or locale_of(FALLBACK)
    assert locale is not None, FALLBACK  # Babel knows the fallback language
    return locale


def language_name(language: str) -> str:
    """The language's name in itself (CLDR through Babel): ``pl`` -> "Polski", for links
    between catalogs in several languages; the tag itself when Babel does not know it."""
    locale = locale_of(language)
    name = (locale.get_display_name() if locale else None) or language
    return name[:1].upper() + name[1:]


class Labels:
    """The labels of one language: ``labels("step_n", n=3)``, ``labels.plural("day", 2)``,
    ``labels.duration(Duration)``. Values are plain text: escaping is the page's job."""

    def __init__(self, language: str, folders: Sequence[Path]) -> None:
        self.language = language
        self._chain = [catalogue for tag in language_chain(language) for folder in folders
                       if (catalogue := _read_catalogue(folder / "i18n" / f"{tag}.yaml"))]
        self._said: dict[object, str] = {}  # (key, values) or, without values, the key
        self._durations: dict[tuple[str, str], str] = {}

    def _entry(self, key: str) -> tuple[Entry, str]:
        for catalogue in self._chain:
            if key in catalogue.entries:
                return catalogue.entries[key], catalogue.language
        raise LabelProblem(f"no label '{key}' in any catalogue (i18n/{self.language}.yaml, "
                           f"i18n/{FALLBACK}.yaml)")

    def __call__(self, key: str, **values: object) -> str:
        memo = (key, tuple(values.items())) if values else key
        said = self._said.get(memo)
        if said is None:
            entry, _ = self._entry(key)
            if not isinstance(entry, str):
                raise LabelProblem(f"label '{key}' has plural forms: use plural('{key}', n)")
            said = self._said[memo] = _fill(key, entry, values)
        return said

    def plural(self, key: str, n: int, **values: object) -> str:
        entry, language = self._entry(key)
        if isinstance(entry, str):
            return _fill(key, entry, {"n": n, **values})
        category = _plural_rule(language).plural_form(n)
        return _fill(key, entry.get(category, entry["other"]), {"n": n, **values})

    def duration(self, duration: Duration, form: str = "") -> str:
        """``1h30m`` -> "1 hour 30 minutes" / "1 godzina 30 minut". ``form`` names the forms
        a language needs in the phrase ``<form>_duration``: ``after`` for ``after_duration``
        ("po 2 dniach", not "po 2 dni"), read from ``day_after``... (see ``_form``)."""
        said = self._durations.get((duration.text, form))
        if said is None:
            said = self._durations[(duration.text, form)] = self._duration(duration, form)
        return said

    def _duration(self, duration: Duration, form: str) -> str:
        hours, rest = divmod(duration.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        parts = [self.plural(self._form(unit, form), count) for unit, count in (
            ("week", duration.weeks), ("day", duration.days), ("hour", hours),
            ("minute", minutes), ("second", seconds)) if count]
        if not parts:
            return self.plural(self._form("second", form), 0)
        return self("duration_join").join(parts)

    def _form(self, unit: str, form: str) -> str:
        """``day_after`` when the catalogue that words ``after_duration`` has it (a project
        that rewords the phrase without giving forms gets the plain ones), else ``day``."""
        if not form:
            return unit
        phrase, key = f"{form}_duration", f"{unit}_{form}"
        wording = next((c for c in self._chain if phrase in c.entries), None)
        return key if wording is not None and key in wording.entries else unit

    def join(self, items: Sequence[str]) -> str:
        return self("list_join").join(items)


def _fill(key: str, text: str, values: Mapping[str, object]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise LabelProblem(f"label '{key}' uses {{{name}}}, which procflow does not give it "
                               f"(it gives: {', '.join(sorted(values)) or 'nothing'})")
        return str(values[name])

    return _PLACEHOLDER.sub(value, text)
