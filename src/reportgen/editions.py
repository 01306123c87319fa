"""What each audience may see: visibility is enforced here, once.

``select`` returns a copy of the year holding only what an edition may show.
Public editions lose every ``internal`` row and narrative file; every edition
loses the donors (a donor's row reaches only that donor's own letter). Later
stages (figures, charts, templates, metadata) only ever see the selected
model, so nothing they produce can leak what was removed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportgen.model import INTERNAL, FiscalYear

PUBLIC_EDITIONS = frozenset({"annual-report", "donor"})
MEMBER_EDITIONS = frozenset({"handout"})


def is_public(edition: str) -> bool:
    return edition not in MEMBER_EDITIONS


def select(year: FiscalYear, edition: str, language: str) -> FiscalYear:
    public = is_public(edition)

    def keep(rows: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(r for r in rows if not (public and r.visibility == INTERNAL))

    narrative = tuple(
        s
        for s in year.narrative
        if edition in s.editions
        and not (public and s.visibility == INTERNAL)
        and s.language in (None, language)
    )
    return replace(
        year,
        activities=keep(year.activities),
        coalitions=keep(year.coalitions),
        lobbying=keep(year.lobbying),
        finances=keep(year.finances),
        people=keep(year.people),
        donors=(),
        narrative=narrative,
    )
