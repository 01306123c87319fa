"""Work proportional to the document: the passes reportgen adds to
WeasyPrint's never join a paragraph's whole text once per box or per line of
it (a 200 KB paragraph took 46 s against WeasyPrint's 4.9 s). bench/scale.py
measures the times; these tests pin the causes, on real layouts, through
render_pdf's public options only."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reportgen.core.file_gate import Gate
from reportgen.typesetting import preflight
from reportgen.typesetting.pdf import render_pdf
from tests.test_preflight import PAGE

WORDS = "A paragraph that goes on and on, as a long letter to members can. "


T = TypeVar("T")


def _cpu(make: Callable[[], T]) -> tuple[float, T]:
    """``make()``'s CPU seconds in this process (steadier than wall time on a
    shared machine), and its value."""
    started = time.process_time()
    made = make()
    return time.process_time() - started, made


def test_the_preflight_of_a_long_clean_paragraph_costs_little_beside_its_layout(
    tmp_path: Path,
) -> None:
    # A box at fault is named after its whole paragraph (and this first
    # render loads the fonts, so that neither timed one below pays for it).
    past = '<p style="position: absolute; left: 130mm">Past the edge</p>'
    made = render_pdf(PAGE % ("", past), tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    outside = [f.message for f in made.findings if f.kind == preflight.OUTSIDE]
    assert outside == ["text “Past the edge” reaches past the edge of the page"]
    # Naming joins the paragraph's text: done for every box of this one
    # (some 40 KB, over a thousand lines), it costs the length squared,
    # five times the layout here; done only for a box at fault, a few per cent.
    html = PAGE % ("", f"<p>{WORDS * 600}</p>")
    gate = Gate.of(tmp_path)
    alone, plain = _cpu(lambda: render_pdf(html, tmp_path, gate))
    checked, made = _cpu(lambda: render_pdf(html, tmp_path, gate, preflight="doc.pdf"))
    assert made.pages >= 8 and made.pages == plain.pages
    assert [f for f in made.findings if f.kind == preflight.OUTSIDE] == []
    assert checked < 2 * alone, f"preflight {checked:.2f} CPU s, render alone {alone:.2f}"


def test_a_broken_date_in_a_long_cell_is_found_with_the_dates_read_once() -> None:
    source = "Meetings on 12 May 2024 and " + "more words " * 2000 + "on 3 June 2024."
    dates = [(m.start(), m.end()) for m in preflight._DATES.finditer(source)]
    inside = source.index("May 2024") + 1
    fault = preflight._fault_at(source, inside, dates)
    assert fault is not None and fault.startswith("the date “12 May 2024” is broken after")
    assert preflight._fault_at(source, source.index("more"), dates) is None
    # Every break position is judged against the dates found once, given to
    # it, not searched for again in the paragraph: given none, it finds none.
    assert not (preflight._fault_at(source, inside, []) or "").startswith("the date")
