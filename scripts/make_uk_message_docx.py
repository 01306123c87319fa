"""Write the UK sample's Chair's message as a Word document (run once; the
.docx is committed): examples/uk-food-bank/fy2024/narrative/01-message.docx.

It shows a director's own Word file going through reportgen: a 'Heading 1'
title, paragraphs with bold and italic, a picture with Word's alt text
(Right-click > View Alt Text, stored as wp:docPr/@descr), and a footnote-free
signature line. The picture, three of the year's numbers, is drawn here with Pillow.

    .venv/bin/python scripts/make_uk_message_docx.py
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.shared import Mm
from PIL import Image, ImageDraw, ImageFont

TARGET = Path(__file__).resolve().parents[1] / "examples/uk-food-bank/fy2024/narrative"
GREEN, ORANGE, PAPER = "#1d5c4a", "#d9822b", "#f4f1ea"
FONTS = "/usr/share/fonts/truetype/dejavu/"
FIGURES = (("6,000+", "food parcels"), ("180", "volunteers"), ("1", "new community fridge"))
ALT = (
    "The year in three numbers: more than 6,000 food parcels given out, 180 volunteers, "
    "and a new community fridge in Bramley."
)
PARAGRAPHS = (
    "Dear friends,",
    "This was the year our neighbours needed us most. Rents rose, energy bills stayed high "
    "and wages did not keep up, and more families than ever came through our doors at Canal "
    "Wharf. Thanks to you, nobody who was referred to us went away empty-handed.",
    None,  # the picture
    "We gave out more than six thousand food parcels, opened a community fridge in Bramley "
    "and kept our holiday lunch clubs running through every school break. Just as "
    "importantly, we began to tackle the reasons people need a food bank: a debt adviser "
    "and a welfare-rights adviser now sit beside our volunteers, and many guests left with "
    "more money in their pockets as well as food in their bags.",
    "None of this happens without the 180 volunteers who sort, pack, drive and welcome, or "
    "the churches, schools, shops and businesses who fill our shelves. On behalf of the "
    "trustees: thank you.",
)


def panel() -> bytes:
    """Three figures side by side, in the sample's colours (1800 x 600 pixels)."""
    image = Image.new("RGB", (1800, 560), PAPER)
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(FONTS + "DejaVuSans-Bold.ttf", 108)
    small = ImageFont.truetype(FONTS + "DejaVuSans.ttf", 60)
    for i, (value, label) in enumerate(FIGURES):
        left = 40 + i * 590
        draw.rounded_rectangle(
            (left, 40, left + 540, 520), 36, fill="white", outline=GREEN, width=8
        )
        draw.rectangle((left + 40, 90, left + 140, 104), fill=ORANGE)
        assert draw.textlength(value, font=big) < 460, value  # inside its box
        draw.text((left + 40, 160), value, font=big, fill=GREEN)
        words = label.split()
        lines = [" ".join(words[:2]), " ".join(words[2:])] if len(words) > 2 else [label]
        for j, line in enumerate(lines):
            draw.text((left + 44, 340 + j * 72), line, font=small, fill="#333333")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main() -> None:
    document = Document()
    document.core_properties.title = "A message from our Chair"
    document.core_properties.author = "Aire Valley Food Bank (illustrative)"
    document.add_heading("A message from our Chair", level=1)
    for text in PARAGRAPHS:
        if text is None:
            shape = (
                document.add_paragraph().add_run().add_picture(io.BytesIO(panel()), width=Mm(150))
            )
            shape._inline.docPr.set("descr", ALT)  # Word's alt text
            continue
        document.add_paragraph(text)
    closing = document.add_paragraph()
    closing.add_run("Helen Okafor").bold = True
    closing.add_run(", Chair of Trustees").italic = True
    document.save(str(TARGET / "01-message.docx"))


if __name__ == "__main__":
    main()
