"""``[narrative."<file>"]`` of report.toml: what front matter says, for any narrative file.

A Word document has no front matter, so its visibility, editions, title and
role are set in report.toml; a Markdown file may use either place. ``config``
reads and checks the tables here (each problem located in report.toml); after
the narrative files are read, ``report_folder`` applies them: a table naming no file
of narrative/ is an error with a suggestion, and a key given both in a file's
front matter and in report.toml is an error, so that one place decides who sees
a section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.core.editions import DOCUMENTS
from reportgen.reading.model import NarrativeFile
from reportgen.reading.narrative_html import ROLES, front_problem
from reportgen.reading.readers.narrative import FRONT_KEYS
from reportgen.reading.table_registry import GUARDED_FRONT_KEYS, VISIBILITY, guarded_lookalike

if TYPE_CHECKING:
    from reportgen.reading.readers.raw_narrative import RawNarrative

Where = Callable[[str, str | None], Location]


def read_narrative_files(
    value: object, where: Where, diags: Diagnostics
) -> tuple[NarrativeFile, ...]:
    """The ``narrative_html`` table of report.toml, checked key by key."""
    if not isinstance(value, dict):
        diags.error(where("narrative", None), M.NARRATIVE_NOT_TABLES())
        return ()
    found = []
    for name, body in value.items():
        table = f'narrative."{name}"'
        header = where(table, None)
        if header.line is None:
            header = where("narrative", None)
        if not isinstance(body, dict):
            diags.error(header, M.NARRATIVE_NOT_SETTINGS(name=name))
            continue

        def locate(key: str, table: str = table, header: Location = header) -> Location:
            found = where(key, table)
            return found if found.line is not None else header

        settings = _settings(str(name), body, locate, diags)
        found.append(NarrativeFile(str(name), settings, header))
    return tuple(found)


def _settings(
    name: str, body: dict[str, Any], locate: Callable[[str], Location], diags: Diagnostics
) -> tuple[tuple[str, Any], ...]:
    label = f'[narrative."{name}"]'
    kept: list[tuple[str, Any]] = []
    for key, value in body.items():
        if key not in FRONT_KEYS:
            guarded = guarded_lookalike(key, GUARDED_FRONT_KEYS)
            if guarded is not None:  # 'visiblity = "internal"' would publish the file
                diags.error(
                    locate(key),
                    M.NARRATIVE_GUARDED(label=label, key=key, guarded=guarded),
                )
            else:
                diags.warning(locate(key), M.NARRATIVE_UNKNOWN_KEY(
                    label=label, key=key, hint=did_you_mean(key, FRONT_KEYS)))  # fmt: skip
            continue
        problem = _problem(key, value, DOCUMENTS, ROLES)
        if problem is not None:
            diags.error(locate(key), M.NARRATIVE_KEY_PROBLEM(label=label, key=key, problem=problem))
            continue
        kept.append((key, tuple(value) if isinstance(value, list) else value))
    given = dict(kept)
    if "role" in given and given.get("visibility") == "internal":
        diags.error(locate("role"), M.NARRATIVE_ROLE_INTERNAL(label=label, role=given["role"]))
        kept = [(k, v) for k, v in kept if k != "role"]
    return tuple(kept)


def _problem(key: str, value: Any, editions: tuple[str, ...], roles: tuple[str, ...]) -> str | None:
    """Why a setting's value is wrong, or ``None``."""
    if key == "title":
        ok = isinstance(value, str) and bool(value.strip())
        return None if ok else "must be a non-empty string"
    if key == "visibility":
        if value in VISIBILITY:
            return None
        return f"{value!r} is not one of public, internal" + did_you_mean(str(value), VISIBILITY)
    if key in ("summary", "donors", "place"):
        return front_problem(key, value)
    if key == "role":
        if value in roles:
            return None
        return f"{value!r} is not one of {', '.join(roles)}" + did_you_mean(str(value), roles)
    items = value if isinstance(value, list) else [value]  # editions
    wrong = [i for i in items if i not in editions]
    if not items or wrong:
        first = wrong[0] if wrong else "[]"
        return (f"{first!r} is not one of {', '.join(editions)}"
                + did_you_mean(str(first), editions))  # fmt: skip
    return None


def apply_narrative_files(
    raws: list[RawNarrative], files: tuple[NarrativeFile, ...], diags: Diagnostics
) -> list[RawNarrative]:
    """The narrative files with report.toml's settings taken into their front matter."""
    by_name = {raw.path.name: raw for raw in raws}
    changed: dict[str, RawNarrative] = {}
    for entry in files:
        raw = by_name.get(entry.name)
        if raw is None:
            diags.error(
                entry.where,
                M.NARRATIVE_NO_FILE(
                    name=entry.name,
                    hint=did_you_mean(entry.name, list(by_name)) or M.NARRATIVE_WHOLE_NAME(),
                ),
            )
            continue
        both = [key for key, _ in entry.settings if key in raw.front]
        for key in both:
            diags.error(
                entry.where,
                M.NARRATIVE_KEY_TWICE(key=key, name=entry.name, line=raw.front_line),
            )
        # Front matter's own shape: editions as a list.
        given = {k: list(v) if isinstance(v, tuple) else v for k, v in entry.settings}
        changed[entry.name] = replace(raw, front={**raw.front, **given})
    return [changed.get(raw.path.name, raw) for raw in raws]
