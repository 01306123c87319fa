"""Window envelopes: where a letter's recipient address must stand so that,
folded and put in the country's usual envelope, it shows through the window.

Each convention is declared once, in ``ENVELOPES``, as its publisher gives
it: either the envelope and its window (DL and its relatives), from which the
field that stays inside the window wherever the folded sheet slides is
derived (``address_field``), or the field on the sheet itself (DIN 5008). A
language pack names its country's convention (``[letter] envelope``); the
report's first language chooses, because the organisation posts the letters.
"""

from __future__ import annotations

from dataclasses import dataclass

# The sheets a report prints on (theme.page_size): width, height in mm.
SHEETS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


@dataclass(frozen=True)
class Envelope:
    """One convention: an envelope with a window, or a field on the sheet.

    An envelope is given as its publisher measures it, flap up: its width and
    height, the window's size and its distance from the envelope's left and
    bottom edges. The sheet is folded in three (letter fold), its top third
    showing. ``field`` instead gives the address field on the sheet directly
    (left, top, width, height), for a standard that defines the sheet."""

    source: str  # who publishes it, for the docs and the report's readers
    envelope: tuple[float, float] = (0.0, 0.0)  # width, height
    window: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # w, h, left, bottom
    field: tuple[float, float, float, float] | None = None  # left, top, w, h on the sheet
    # A line above the address with the sender's return address (DIN 5008's
    # Rücksendeangabe), inside the field.
    return_line: bool = False


ENVELOPES: dict[str, Envelope] = {
    # ISO 269 DL (220 x 110 mm) with the window of DIN 680 / ISO 269 practice:
    # 90 x 45 mm, 20 mm from the left and 15 mm from the bottom.
    "dl-90x45": Envelope(
        "ISO 269 DL, window 90 x 45 mm (DIN 680)", (220.0, 110.0), (90.0, 45.0, 20.0, 15.0)
    ),
    # The DL window most used in the UK and Australia: 90 x 35 mm, 20 mm from
    # the left and 15 mm from the bottom (Royal Mail's DL layout guidance).
    "dl-90x35": Envelope(
        "DL, window 90 x 35 mm on the left (Royal Mail, Australia Post)",
        (220.0, 110.0),
        (90.0, 35.0, 20.0, 15.0),
    ),
    # DIN 5008 form B: the address field 20 mm from the left and 45 mm from
    # the top, 85 x 45 mm, the first 17.7 mm for the return address.
    "din-5008-b": Envelope("DIN 5008, form B", field=(20.0, 45.0, 85.0, 45.0), return_line=True),
    # 長形3号 (120 x 235 mm) used on its side as 洋長3号 (235 x 120), the A4
    # folded in three: Japan Post asks an address window of at least 45 x 80 mm;
    # the usual stock window is 90 x 45 mm, 20 mm from the left, 15 mm up.
    "naga3-90x45": Envelope(
        "長形3号 / 洋長3号, window 90 x 45 mm (Japan Post: 45 x 80 mm or more)",
        (235.0, 120.0),
        (90.0, 45.0, 20.0, 15.0),
    ),
}


@dataclass(frozen=True)
class Field:
    """Where the address goes on the sheet, in mm from its top left corner."""

    left: float
    top: float
    width: float
    height: float
    return_line: bool = False


def address_field(name: str, sheet: str = "A4") -> Field:
    """The address field of convention ``name`` on a ``sheet`` folded in three:
    the part of the sheet the window shows wherever the folded sheet lies in
    the envelope (it can slide by the envelope's room in each direction)."""
    found = ENVELOPES[name]
    if found.field is not None:
        return Field(*found.field, return_line=found.return_line)
    width, height = SHEETS.get(sheet, SHEETS["A4"])
    panel = height / 3  # the top third of a letter fold faces the window
    env_w, env_h = found.envelope
    win_w, win_h, win_left, win_bottom = found.window
    slack_x, slack_y = max(env_w - width, 0.0), max(env_h - panel, 0.0)
    window_top = env_h - win_bottom - win_h  # from the envelope's top edge
    # The sheet's top edge lies anywhere from the envelope's top to ``slack_y``
    # below it; its left edge anywhere from the envelope's left to ``slack_x``.
    top = window_top  # the sheet as high as it goes
    bottom = window_top + win_h - slack_y  # the sheet as low as it goes
    left = win_left  # the sheet as far left as it goes
    right = win_left + win_w - slack_x  # the sheet as far right as it goes
    return Field(round(left, 1), round(top, 1), round(right - left, 1), round(bottom - top, 1))
