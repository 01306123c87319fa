"""``reportgen new``: start a fiscal year's folder, rolled forward from the
last one or from a commented starter.

This is the one command that writes into a report set rather than into the
output folder; it never overwrites: the target must not exist. Everything is
first written into a temporary folder beside the target and renamed into
place at the end, so a failure leaves nothing half-made.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from reportgen.errors import UsageError
from reportgen.readers import TABLE_EXTENSIONS
from reportgen.schema import TABLES

PROMPT = "TODO:"  # check warns while a narrative file still holds one

PROMPTS = {
    "message": "a letter from the representative to members and friends: what the year "
    "meant, thanks, and what comes next (300-400 words).",
    "overview": "the year in overview: the context, the main achievements and the "
    "difficulties, with a few subheadings (400-600 words).",
    "stories": "one or two stories that show the work through the people it serves "
    "(250 words each; leave out anything that could identify someone at risk).",
    "about": "what this report covers, where its figures come from, and anything "
    "illustrative or estimated.",
}
GENERIC_PROMPT = "this section's text for {fiscal_year}."


def _roll_date(day: date, years: int = 1) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _next_label(label: str, start: date, new_start: date) -> str:
    """FY2012 -> FY2013, "2012/13" -> "2013/14": every year number moves on."""
    shift = new_start.year - start.year
    return re.sub(r"(?<!\d)(\d{4}|\d{2})(?!\d)", lambda m: _bump(m.group(1), shift), label)


def _bump(number: str, shift: int) -> str:
    value = int(number) + shift
    return f"{value % 100:02d}" if len(number) == 2 else str(value)


def _set_key(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^(\s*{re.escape(key)}\s*=\s*)[^#\n]*?(\s*(#.*)?)$", re.M)
    if pattern.search(text):
        return pattern.sub(lambda m: f"{m.group(1)}{value}{m.group(2)}", text, count=1)
    return f"{key} = {value}\n{text}"


def new_year(target: Path, source: Path | None = None, copy_assets: bool = False) -> list[Path]:
    """Create ``target``; return the files written (relative to it)."""
    if target.exists():
        raise UsageError(f"{target} already exists; reportgen new never overwrites a folder")
    if source is not None and not (source / "report.toml").is_file():
        raise UsageError(f"{source} is not a report year (it has no report.toml)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        if source is None:
            _starter(staging, target)
        else:
            _roll_forward(source, staging, copy_assets)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _roll_forward(source: Path, folder: Path, copy_assets: bool) -> None:
    import tomllib

    text = (source / "report.toml").read_text("utf-8")
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"{source / 'report.toml'}: {exc}; fix it first (reportgen check)"
        ) from None
    start, end = settings.get("start"), settings.get("end")
    if not isinstance(start, date) or not isinstance(end, date):
        raise UsageError(f"{source / 'report.toml'} needs TOML dates 'start' and 'end'")
    new_start = end + timedelta(days=1)
    new_end = _roll_date(new_start, 1) - timedelta(days=1)
    old_label = str(settings.get("fiscal_year", ""))
    label = _next_label(old_label, start, new_start) if old_label else f"FY{new_start.year}"
    title = str(settings.get("title", f"Annual Report {label}"))
    title = (
        title.replace(old_label, label)
        if old_label and old_label in title
        else _next_label(title, start, new_start)
    )
    text = _set_key(text, "title", _toml_string(title))
    text = _set_key(text, "fiscal_year", _toml_string(label))
    text = _set_key(text, "start", new_start.isoformat())
    text = _set_key(text, "end", new_end.isoformat())
    text = re.sub(r"^\s*published\s*=.*\n?", "", text, flags=re.M)  # a new year is unpublished
    (folder / "report.toml").write_text(text, "utf-8")
    _empty_tables(source / "data", folder / "data")
    _narrative_prompts(source / "narrative", folder / "narrative", label)
    if copy_assets and (source / "assets").is_dir():
        shutil.copytree(source / "assets", folder / "assets")


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _empty_tables(source: Path, target: Path) -> None:
    target.mkdir()
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        if path.suffix.lower() not in TABLE_EXTENSIONS:
            continue
        if path.suffix.lower() == ".csv":
            lines = path.read_bytes().splitlines(keepends=True)
            (target / path.name).write_bytes(lines[0] if lines else b"")
        else:
            from openpyxl import Workbook, load_workbook

            old = load_workbook(path, read_only=True)
            header = next(old.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            title = old.worksheets[0].title
            old.close()
            book = Workbook()
            book.active.title = title
            book.active.append(list(header))
            book.save(target / path.name)
    if not any(target.glob("activities.*")):
        names = ",".join(c.name for c in TABLES["activities"].columns)
        (target / "activities.csv").write_text(names + "\n", "utf-8")


def _narrative_prompts(source: Path, target: Path, label: str) -> None:
    target.mkdir()
    for path in sorted(source.glob("*.md")) if source.is_dir() else []:
        text = path.read_text("utf-8")
        front = ""
        body = text
        match = re.match(r"---\n(.*?)\n(---|\.\.\.)\n", text, re.S)
        if match:
            front, body = text[: match.end()], text[match.end() :]
        heading = re.search(r"^#\s+.+$", body, re.M)
        slug = re.sub(r"^[0-9]+[-_ .]*", "", path.stem.split(".")[0]).lower()
        hint = next((p for key, p in PROMPTS.items() if key in slug), None)
        hint = hint or GENERIC_PROMPT.format(fiscal_year=label)
        parts = [front + "\n"] if front else []
        if heading and "title:" not in front:
            parts.append(heading.group(0) + "\n\n")
        if path.name.endswith(".ja.md"):
            parts.append(f"{PROMPT} {label}のこの章の本文を書いてください。\n")
        else:
            parts.append(f"{PROMPT} write {hint}\n")
        (target / path.name).write_text("".join(parts), "utf-8")


STARTER_TOML = """\
# report.toml: the settings of one fiscal year. Dates are TOML dates (no quotes).
# The full format: docs/report-format.md in the reportgen project.

title = "Annual Report {label}"
fiscal_year = "{label}"
start = {start}
end = {end}
# published = {published}      # the day the report is presented; default: end
# language = "en"               # or "ja"
# currency = "JPY"              # ISO 4217
# editions = ["annual-report", "handout", "donor"]
{organization}
# [theme]
# primary_color = "#1f3a5f"     # #rgb or #rrggbb
# accent_color = "#c8553d"
# page_size = "A4"              # or "Letter"
# font = "Noto Sans"

# [signatory]                   # who signs the donor letter
# name = "Your Name"
# role = "Representative"
"""

STARTER_ORGANIZATION = """
[organization]                  # or put it in ../organization.toml, shared by every year
name = "Your Organisation"
# short_name = "YO"
# website = "https://example.org/"
# email = "info@example.org"
# address = "Street, City, Country"
# logo = "assets/logo.svg"
"""

STARTER_NARRATIVE = {
    "01-message.md": "# Message from the Representative\n\n{prompt} write {message}\n",
    "02-overview.md": "# The Year in Overview\n\n{prompt} write {overview}\n",
}


def _starter(folder: Path, target: Path) -> None:
    today = date.today()
    start = date(today.year, 1, 1)
    end = date(today.year, 12, 31)
    label = f"FY{start.year}"
    has_org = (target.parent / "organization.toml").is_file()
    (folder / "report.toml").write_text(
        STARTER_TOML.format(
            label=label,
            start=start.isoformat(),
            end=end.isoformat(),
            published=(end + timedelta(days=60)).isoformat(),
            organization="" if has_org else STARTER_ORGANIZATION,
        ),
        "utf-8",
    )
    data = folder / "data"
    data.mkdir()
    for name, schema in TABLES.items():
        (data / f"{name}.csv").write_text(",".join(schema.names) + "\n", "utf-8")
    (data / "README.txt").write_text(_tables_help(), "utf-8")
    narrative = folder / "narrative"
    narrative.mkdir()
    for name, text in STARTER_NARRATIVE.items():
        (narrative / name).write_text(text.format(prompt=PROMPT, **PROMPTS), "utf-8")
    (folder / "assets").mkdir()


def _tables_help() -> str:
    lines = [
        "One CSV (UTF-8) or XLSX file per table; the first row holds the column names.",
        "Required columns are marked *. Every table may also have 'visibility':",
        "public (the default) or internal (never shown in public editions).",
        "Example rows (dates are YYYY-MM-DD):",
        "",
    ]
    examples = {
        "activities": "2025-03-14,Spring seminar,Event,Tokyo,Talk and discussion,45,public",
        "coalitions": "Example Coalition,member,2011-09-08,43,15,A network of NGOs,public",
        "lobbying": "2025-05-20,Ministry,Ministry of Foreign Affairs,Refugee protection,"
        "Follow-up agreed,2,public",
        "finances": "income,Donations,1200000,,From individuals,public",
        "people": "Your Name,Representative,board,public",
        "donors": "D-001,Jane Doe,Dear Ms Doe,jane@example.org,en,10000",
    }
    for name, schema in TABLES.items():
        cols = ", ".join(c.name + ("*" if c.required else "") for c in schema.columns)
        lines += [f"{name}: {cols}", f"  e.g. {examples[name]}", ""]
    return "\n".join(lines)
