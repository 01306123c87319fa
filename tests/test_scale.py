"""Work proportional to the document: the passes reportgen adds to
WeasyPrint's never join a paragraph's whole text once per box or per line of
it (a 200 KB paragraph took 46 s against WeasyPrint's 4.9 s). bench/scale.py
measures the times; these tests pin the causes, on real layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.core.file_gate import Gate
from reportgen.typesetting import preflight
from reportgen.typesetting.pdf import render_pdf
from tests.test_preflight import PAGE

WORDS = "A paragraph that goes on and on, as a long letter to members can. "


def test_the_preflight_names_no_box_of_a_clean_long_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named: list[object] = []
    real = preflight._name_of

    def counted(box: object, boxes: object) -> str:
        named.append(box)
        return real(box, boxes)

    monkeypatch.setattr(preflight, "_name_of", counted)
    body = f"<p>{WORDS * 300}</p>"  # some 20 KB: hundreds of lines over several pages
    made = render_pdf(PAGE % ("", body), tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    assert made.pages >= 4
    assert [f for f in made.findings if f.kind == preflight.OUTSIDE] == []
    # Naming joins the paragraph's text: only for a box at fault, never for each box.
    assert named == []
    # A box at fault is still named after its paragraph.
    past = '<p style="position: absolute; left: 130mm">Past the edge</p>'
    made = render_pdf(PAGE % ("", past), tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    outside = [f.message for f in made.findings if f.kind == preflight.OUTSIDE]
    assert outside == ["text “Past the edge” reaches past the edge of the page"]
    assert len(named) == 1


def test_a_broken_date_in_a_long_cell_is_found_with_the_dates_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = "Meetings on 12 May 2024 and " + "more words " * 2000 + "on 3 June 2024."
    dates = [(m.start(), m.end()) for m in preflight._DATES.finditer(source)]
    inside = source.index("May 2024") + 1
    fault = preflight._fault_at(source, inside, dates)
    assert fault is not None and fault.startswith("the date “12 May 2024” is broken after")
    assert preflight._fault_at(source, source.index("more"), dates) is None
    # every break position is judged against the dates found once, not searched again
    monkeypatch.setattr(preflight, "_DATES", None)
    assert preflight._fault_at(source, inside, dates) == fault
