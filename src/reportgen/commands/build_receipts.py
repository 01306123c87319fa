"""The receipts of a build: numbered from the receipt log, rendered, staged.

``stage_receipts`` opens (and locks) the year's receipt log, gives each donor
with gifts a number (``receipt_log.assign``), renders the receipts into the
staging folder and returns what the log must record. The build appends those
records (``Pending.record``) only once every document is rendered and the
``--strict`` checks have passed, and before any output is moved into place:
a receipt that reaches the output always has its whole record in the log,
and a build killed before that point leaves no receipt anyone holds.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date

from reportgen.commands.build_documents import Rendered
from reportgen.composing.palette import palette
from reportgen.core.editions import EDITIONS
from reportgen.reading.model import FiscalYear
from reportgen.typesetting import receipts
from reportgen.typesetting.edition_render import logo_uri
from reportgen.typesetting.html_pages import receipt_css, theme_of
from reportgen.typesetting.preflight import Finding
from reportgen.writing import receipt_log
from reportgen.writing.cache import Cache, digest
from reportgen.writing.staging import Staging

FOLDER = "receipts"
RECEIPTS = next(name for name, e in EDITIONS.items() if e.per_donor)  # the receipts edition


@dataclass
class Pending:
    """What one year's build must record in its receipt log before committing."""

    log: receipt_log.Log
    records: list[receipt_log.Issued]

    def record(self) -> None:
        self.log.append(self.records)


def number_prefix(prefix: str, fiscal_year: str) -> str:
    """What comes before a receipt's serial: the settings' prefix and the
    year's label (``GA-`` and FY2012: GA-FY2012-0001), so that a year made by
    ``reportgen new --from`` numbers its receipts apart from the last one's."""
    label = re.sub(r"[^A-Za-z0-9]+", "-", fiscal_year).strip("-")  # 2024–25: 2024-25
    return f"{prefix}{label}-" if label else prefix


def wanted(year: FiscalYear, editions: tuple[str, ...]) -> bool:
    """Whether this build makes the year's receipts."""
    return RECEIPTS in editions and year.config.receipts is not None and bool(year.gifts)


def stage_receipts(
    year: FiscalYear,
    stage: Staging,
    stack: ExitStack,
    store: Cache,
    today: date,
    found: list[Finding] | None = None,
) -> Pending:
    """Number, render and stage the receipts of ``year``; the log stays
    locked (on ``stack``) until the build ends."""
    settings = year.config.receipts
    assert settings is not None
    log = stack.enter_context(receipt_log.Log(receipt_log.location(year.config.root)))
    state = log.read()
    donors = receipts.receipt_donors(year)
    issued = receipt_log.assign(
        state,
        [receipt_log.Wanted(d.id or "", slug, tuple(map(receipts.gift_key, gifts)))
         for slug, d, gifts in donors],
        number_prefix(settings.prefix, year.config.fiscal_year),
        settings.issued or today,
    )  # fmt: skip
    logo = logo_uri(year)
    made = [
        receipts.make_receipt(
            year,
            settings,
            slug,
            donor,
            gifts,
            receipts.Numbered(
                entry.number, settings.issued or date.fromisoformat(entry.issued), entry.replaces
            ),
            logo,
        )
        for (slug, donor, gifts), entry in zip(donors, issued, strict=True)
    ]
    config = year.config
    # Each receipt's stylesheet is its own language's (its fonts, its
    # typography): a Korean donor's receipt in a Japanese report is set in
    # Korean faces, not in the faces of [receipts]' language.
    css = {
        tag: receipt_css(
            palette(config.theme),
            config.theme.page_size,
            config.theme.font,
            theme_of(config.root, config.theme_dir),
            tag,
        )
        for tag in dict.fromkeys(receipt.language for receipt in made)
    }
    key = digest("receipts", made, sorted(css.items()))
    cached = store.get("receipts", key, Rendered)
    files: dict[str, bytes] = {}
    findings: list[Finding] = []
    if isinstance(cached, Rendered):
        files = {name: data for name, (data, _) in cached.files.items()}
        findings = list(cached.findings)
    else:
        for tag, sheet in css.items():
            group = [receipt for receipt in made if receipt.language == tag]
            receipts.render_receipts(group, sheet, config.root, files.__setitem__, findings)
        store.put("receipts", key, Rendered({n: (d, None) for n, d in files.items()},
                                            tuple(findings)))  # fmt: skip
    stage.path(FOLDER).mkdir(parents=True, exist_ok=True)  # replaced whole, even when empty
    for receipt in made:
        stage.write(receipt.file, files[receipt.file])
    if found is not None:
        found.extend(findings)
    done = [
        replace(entry, pdf_sha256=hashlib.sha256(files[r.file]).hexdigest())
        for entry, r in zip(issued, made, strict=True)
    ]
    return Pending(log, receipt_log.changed(state, done))
