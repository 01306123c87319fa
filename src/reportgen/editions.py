"""What each audience may see: visibility is enforced here, once.

``select`` returns a copy of the year holding only what an edition may show,
in the language it is read in (translated cells and settings applied).
Public editions lose every ``internal`` row and narrative file; every edition
loses the donors (a donor's row reaches only that donor's own letter). Later
stages (figures, charts, templates, metadata) only ever see the selected
model, so nothing they produce can leak what was removed.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from reportgen.model import INTERNAL, LANGUAGES, FiscalYear, ReportConfig

PUBLIC_EDITIONS = frozenset({"annual-report", "donor"})
MEMBER_EDITIONS = frozenset({"handout"})


def is_public(edition: str) -> bool:
    return edition not in MEMBER_EDITIONS


def translate(row: Any, language: str) -> Any:
    """A row in ``language``: each ``<column>_<language>`` cell that is not
    empty replaces ``<column>``; translation columns leave the extras."""
    extra = dict(row.extra)
    changes = {
        f.name: extra[f"{f.name}_{language}"]
        for f in fields(row)
        if extra.get(f"{f.name}_{language}") and isinstance(getattr(row, f.name), str | None)
    }
    suffixes = tuple(f"_{lang}" for lang in LANGUAGES)
    kept = tuple((k, v) for k, v in row.extra if not k.endswith(suffixes))
    if not changes and kept == row.extra:
        return row
    return replace(row, **changes, extra=kept)


def translate_config(config: ReportConfig, language: str) -> ReportConfig:
    """Settings with their ``<key>_<language>`` translations applied."""
    chosen = {key: text for key, lang, text in config.translations if lang == language}
    if not chosen:
        return config
    organization = replace(
        config.organization,
        **{k.split(".")[1]: v for k, v in chosen.items() if k.startswith("organization.")},  # type: ignore[arg-type]
    )
    signatory = config.signatory
    if signatory is not None:
        signatory = replace(
            signatory,
            **{k.split(".")[1]: v for k, v in chosen.items() if k.startswith("signatory.")},
        )
    return replace(
        config,
        title=chosen.get("title", config.title),
        organization=organization,
        signatory=signatory,
    )


def select(year: FiscalYear, edition: str, language: str) -> FiscalYear:
    public = is_public(edition)

    def keep(rows: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            translate(r, language) for r in rows if not (public and r.visibility == INTERNAL)
        )

    narrative = tuple(
        s
        for s in year.narrative
        if edition in s.editions
        and not (public and s.visibility == INTERNAL)
        and s.language in (None, language)
    )
    return replace(
        year,
        config=translate_config(year.config, language),
        activities=keep(year.activities),
        coalitions=keep(year.coalitions),
        lobbying=keep(year.lobbying),
        finances=keep(year.finances),
        people=keep(year.people),
        donors=(),
        narrative=narrative,
    )
