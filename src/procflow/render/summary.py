"""A procedure's row in the catalog, kept in the output folder's manifest (``write.Manifest``)
next to the hashes of its files, so that a later run leaves an unchanged procedure unloaded.

When one procedure of a thousand changes, the catalog must be made again; its rows for the
others come from here instead of loading their files. The manifest is input like any other (a
forged one, one an older procflow wrote): a summary is validated with the field types of the
procedure it stands for, its file names are rebuilt from ids (``write.file_name``), and one
that is missing or not valid is not used: that procedure is rendered again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from procflow.model import Customer, LanguageTag, Model, Owner, Procedure, Slug, Text, Version

if TYPE_CHECKING:
    from procflow.render.pages import CatalogEntry, RoleRef

Suffix = Literal[".md", ".html", ".svg", ".png", ".dot"]


class CardSummary(Model):
    """A role's card: the role's id and name, and the suffixes of its files."""

    id: Slug
    name: Text
    suffixes: list[Suffix]


class Summary(Model):
    """What the catalog shows of a procedure (the fields the built-in catalog templates
    read), the language of its pages, and which files it got."""

    id: Slug
    title: Text
    version: Version
    status: Literal["draft", "active", "retired"]
    owner: Text
    customer: Customer | None
    language: LanguageTag
    review_due: dt.date | None
    pages: list[Suffix]
    cards: list[CardSummary]

    @classmethod
    def of(cls, procedure: Procedure, language: str, pages: Mapping[str, str],
           cards: Sequence[tuple[RoleRef, Mapping[str, str]]],
           review_due: dt.date | None) -> Summary:
        """The summary of a procedure just rendered (or loaded) with these files."""
        return cls.model_construct(  # the values come from a validated procedure
            id=procedure.id, title=procedure.title, version=procedure.version,
            status=procedure.status, owner=procedure.owner.name, customer=procedure.customer,
            language=language, review_due=review_due, pages=list(pages),
            cards=[CardSummary.model_construct(id=ref.id, name=ref.name, suffixes=list(files))
                   for ref, files in cards])

    def to_json(self) -> str:
        """One line of ASCII (no tab, no line break of any kind: the manifest is lines)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=True,
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> Summary | None:
        """The summary in ``text``, or None when it is missing or not a valid one."""
        if not text:
            return None
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            return None

    def page_names(self) -> dict[str, str]:
        """Suffix -> file name of the procedure's pages."""
        from procflow.render.write import file_name

        return {suffix: file_name(self.id, suffix) for suffix in self.pages}

    def card_names(self) -> list[tuple[RoleRef, dict[str, str]]]:
        """Each role's card: the role, and suffix -> file name."""
        from procflow.render.pages import RoleRef
        from procflow.render.write import file_name

        return [(RoleRef(card.id, card.name),
                 {suffix: file_name(self.id, suffix, card.id) for suffix in card.suffixes})
                for card in self.cards]

    def file_names(self) -> set[str]:
        """Every file the summary links to."""
        return {*self.page_names().values(),
                *(name for _, files in self.card_names() for name in files.values())}

    def stand_in(self) -> Procedure:
        """A procedure with only the fields the summary keeps (any other is missing, not
        empty): what the catalog's rows are made of, and ids checked for clashes."""
        return Procedure.model_construct(
            id=self.id, title=self.title, version=self.version, status=self.status,
            owner=Owner.model_construct(name=self.owner), customer=self.customer,
            language=self.language)

    def entry(self, today: dt.date, stand_in: Procedure | None = None) -> CatalogEntry:
        """The procedure's row in the catalog (as ``pages.catalog_entry`` makes it), with
        ``stand_in`` when one was made already."""
        from procflow.markup.markdown import Raw
        from procflow.render.pages import CatalogEntry

        return CatalogEntry(
            stand_in or self.stand_in(),
            {suffix: Raw(name) for suffix, name in self.page_names().items()},
            self.review_due, self.review_due is not None and self.review_due < today,
            [(ref, {suffix: Raw(name) for suffix, name in files.items()})
             for ref, files in self.card_names()], self.language)
