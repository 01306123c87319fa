"""Gifts and receipts (issue 28): one receipt per donor with gifts, holding
what its jurisdiction requires, numbered once in the receipt log.

The presets are built once per run from ``tests/roots/receipts`` (one year
folder per preset, receipts only); the numbering tests build one small year
of their own, and the log's crash safety is checked on every cut of a real
log's bytes plus one real ``kill -9``.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import babel.dates
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.commands.build import load_year, run_build, run_check
from reportgen.core.diagnostics import Diagnostics
from reportgen.core.errors import InvalidInput
from reportgen.reading.receipt_presets import presets
from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors
from reportgen.writing import receipt_log
from tests.conftest import SAMPLE, copy_root, shared_folder
from tests.pdfparse import ParsedPdf

PRESET_OF = {
    "au": "au-dgr",
    "uk": "uk-gift-aid",
    "us": "us-written-acknowledgment",
    "jp": "jp-nintei-npo",
    "kr": "kr-income-tax",
}


def _flat(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines where it likes."""
    return re.sub(r"\s+", "", text)


def _csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Built:
    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out

    def receipt(self, year: str, slug: str) -> str:
        return ParsedPdf(self.out / year / "receipts" / f"{slug}.pdf").all_text()

    def pdf(self, year: str, slug: str) -> ParsedPdf:
        return ParsedPdf(self.out / year / "receipts" / f"{slug}.pdf")

    def preflight(self) -> str:
        """The preflight's warnings of the build, one a line."""
        return (self.root.parent / "preflight.txt").read_text("utf-8")


@pytest.fixture(scope="session")
def built_receipts(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> Built:
    """tests/roots/receipts (five years, receipts only), built once per run."""

    def make(folder: Path) -> None:
        built = run_build(copy_root("receipts", folder), folder / "output", workers=1)
        found = [f"{d.location.path}: {d.message}" for d in built.diagnostics
                 if "preflight" in d.message]  # fmt: skip
        (folder / "preflight.txt").write_text("\n".join(found), "utf-8")

    folder = shared_folder(tmp_path_factory, "root-receipts", make)
    return Built(folder / "receipts", folder / "output")


# --- each preset's required elements, found in the PDF's text ---------------


@pytest.mark.parametrize("year", sorted(PRESET_OF))
def test_each_preset_gives_a_receipt_with_every_required_element(
    built_receipts: Built, year: str
) -> None:
    root = built_receipts.root / year
    preset = presets()[PRESET_OF[year]]
    settings_text = (root / "report.toml").read_text("utf-8")
    organisation = re.search(r'^name = "(.*)"', settings_text, re.M)
    address = re.search(r'^address = "(.*)"', settings_text, re.M)
    assert organisation and address
    registration = re.findall(r'"([^"]+)"', re.search(r"^registration = \[(.*)\]",
                              settings_text, re.M).group(1))  # type: ignore[union-attr]  # fmt: skip
    issued = re.search(r"^issued = (\S+)", settings_text, re.M)
    assert issued
    log = [json.loads(line) for line in (root.parent / f"{year}.receipt-log.jsonl").open()]
    donors = {row["id"]: row for row in _csv(root / "data/donors.csv")}
    gifts = _csv(root / "data/gifts.csv")
    seen = 0
    for record in log:
        text = _flat(built_receipts.receipt(year, record["slug"]))
        donor = donors[record["donor"]]
        mine = [g for g in gifts if g["donor"] == record["donor"]]
        # issuer: legal name, registration; the address where the law asks for it
        assert _flat(organisation.group(1)) in text
        for line in registration:
            assert _flat(line) in text, (year, line)
        if "address" in preset.needs:
            assert _flat(address.group(1)) in text
        # the donor, and their address where given
        assert _flat(donor["name"]) in text
        if donor["address"]:
            assert _flat(donor["address"]) in text
        if "donor_tax_id" in preset.needs:
            assert _flat(donor["tax_id"]) in text
        # the number, the date of issue, the title and the statement
        assert record["number"] in text
        assert _flat(str(preset.get("title"))) in text
        key = "statement"
        if preset.get("statement_benefit") and any(g["benefit"] for g in mine):
            key = "statement_benefit"  # the US: a quid pro quo contribution among the gifts
        statement = str(preset.get(key)).replace("{organization}", organisation.group(1))
        # CJK brackets are kerned into the punctuation before them (「 after a
        # comma), which text extraction may then read before it: compare without them
        assert _unbracketed(statement) in _unbracketed(text)
        assert _issued(issued.group(1), year) in text
        # each gift's date and amount, and the total
        assert len(record["gifts"]) == len(mine)
        for gift in mine:
            assert _amount(gift["amount"], year) in text, (year, gift)
            assert _day(gift["date"], year) in text, (year, gift)
            if gift.get("benefit"):  # what the donor received, and its estimated value
                assert _flat(gift["benefit"]) in text
                assert _amount(gift["benefit_value"], year) in text
        if preset.get("gift_aid") and any(g["gift_aid"] == "yes" for g in mine):
            declared = date.fromisoformat(donor["gift_aid_declared"])
            said = f"YourGiftAiddeclaration:madeon{declared:%-d%B%Y}"
            assert said in text, (year, donor)  # the declaration the claim rests on
        total = sum(Decimal(g["amount"]) for g in mine)
        assert _amount(str(total), year) in text
        seen += 1
    assert seen == len({g["donor"] for g in gifts})
    if year == "uk":  # the statement of what was claimed, gift by gift
        u1 = _flat(built_receipts.receipt("uk", "u-1"))
        assert "GiftAidclaimed" in u1 and "£5" in u1 and "£20" in u1
        # one money format in a receipt: pence on every amount or on none (£20 and
        # £20.00 side by side read as two figures; design review 3)
        amounts = re.findall(r"£[\d,]+(?:\.\d\d)?", u1)
        assert len({"." in a for a in amounts}) == 1, amounts
    if year == "kr":  # every section of the form, ③ (an intermediary) empty, in order
        k1 = _flat(built_receipts.receipt("kr", "k-1"))
        assert _flat("소득세법 제34조 제3항 제1호") in k1 and "일반기부금" in k1 and "40" in k1
        sections = [k1.index(_flat(s)) for s in ("① 기부자", "② 기부금 단체",
                                                  "③ 기부금 모집처", "④ 기부내용")]  # fmt: skip
        assert sections == sorted(sections)
        assert "회계PatTreasurer" in k1  # the role in the form's language (Treasurer)
    if year == "us":  # American dates: the and each gift's
        s1 = _flat(built_receipts.receipt("us", "s-1"))
        assert "January20,2013" in s1
        assert "GoodsorservicesreceivedTheirestimatedvalue" in s1
    if year in ("au", "jp", "kr"):  # no gift with a benefit can reach these receipts
        assert presets()[PRESET_OF[year]].get("benefits") == "refused"


def _unbracketed(text: str) -> str:
    return _flat(text).translate(str.maketrans("", "", "「」,、"))


def _amount(value: str, year: str) -> str:
    number = Decimal(value)
    whole = f"{int(number):,}"
    minor = number != number.to_integral_value()
    return {
        "au": f"${number:,.2f}" if minor else f"${whole}",  # en-AU: the dollar is $
        "uk": f"£{whole}",
        "us": f"${whole}",
        "jp": f"{whole}円",
        "kr": f"{whole}원",
    }[year]


def _day(iso: str, year: str) -> str:
    day = date.fromisoformat(iso)
    if year == "jp":
        return f"{day.year}年{day.month}月{day.day}日"
    if year == "kr":
        return f"{day.year}년{day.month}월{day.day}일"
    if year == "au":  # the en-AU pack's table dates: CLDR's medium form (15 Aug 2012)
        return _flat(babel.dates.format_date(day, "medium", locale="en_AU"))
    if year == "us":  # the en-US pack's table dates: CLDR's medium form (Mar 10, 2012)
        return _flat(babel.dates.format_date(day, "medium", locale="en_US"))
    return _flat(day.strftime("%-d %b %Y"))  # the English pack's table dates


def _issued(iso: str, year: str) -> str:
    day = date.fromisoformat(iso)
    if year in ("jp", "kr"):
        return _day(iso, year)
    if year == "us":  # as an American writes a date: January 20, 2013
        return _flat(babel.dates.format_date(day, "long", locale="en_US"))
    return _flat(day.strftime("%-d %B %Y"))  # the English pack's long dates


def test_a_donor_without_gifts_has_no_receipt_and_receipts_are_no_edition(
    built_receipts: Built,
) -> None:
    made = sorted(p.name for p in (built_receipts.out / "au" / "receipts").iterdir())
    assert made == ["a-1.pdf", "a-2.pdf"]  # A-3 gave nothing this year
    assert not list((built_receipts.out / "au").glob("*.pdf"))  # no "receipts.pdf"
    text = built_receipts.receipt("au", "a-2")
    assert "Olivia" not in text and "120.50" not in text and "A-1" not in text


# --- what check says --------------------------------------------------------


def test_a_gift_of_an_unknown_donor_and_a_gift_outside_the_year_are_located_errors(
    tmp_path: Path,
) -> None:
    year = copy_root("receipts", tmp_path) / "uk"
    gifts = year / "data/gifts.csv"
    gifts.write_text(gifts.read_text("utf-8") + "U-9,2012-07-01,5,,,,\nU-1,2014-01-01,5,,,,\n")
    lines = len(gifts.read_text("utf-8").splitlines())
    errors = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    said = {(d.location.path.name, d.location.line): d.message for d in errors}
    assert "'U-9' is not a donor" in said[("gifts.csv", lines - 1)]
    assert "outside the fiscal year" in said[("gifts.csv", lines)]


def test_a_donors_amount_is_the_sum_of_their_gifts_in_the_letter(tmp_path: Path) -> None:
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.letters import letter_values

    year = copy_root("receipts", tmp_path) / "uk"
    loaded = load_year(year, Diagnostics())
    assert loaded is not None
    [u1] = [d for d in loaded.donors if d.id == "U-1"]
    assert u1.amount == Decimal(120)
    assert letter_values(loaded, u1)["amount"] == "£120"


def test_a_preset_that_needs_a_registration_says_so(tmp_path: Path) -> None:
    year = copy_root("receipts", tmp_path) / "au"
    report = year / "report.toml"
    report.write_text(report.read_text("utf-8").replace('registration = ["ABN 12 345 678 901"]',
                                                        ""), "utf-8")  # fmt: skip
    warned = [d.message for d in run_check(year).diagnostics if "au-dgr receipt shows" in d.message]
    assert warned and "registration" in warned[0]


def test_an_unknown_preset_is_a_located_error(tmp_path: Path) -> None:
    year = copy_root("receipts", tmp_path) / "us"
    report = year / "report.toml"
    text = report.read_text("utf-8").replace(
        "us-written-acknowledgment", "us-written-acknowledgement"
    )
    report.write_text(text, "utf-8")
    line = text.splitlines().index('preset = "us-written-acknowledgement"') + 1
    [error] = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    assert (
        error.location.line == line and "did you mean 'us-written-acknowledgment'" in error.message
    )


# --- {{donor.<column>}} in a letter file ------------------------------------


def test_donor_columns_fill_a_letter_and_an_unknown_one_is_located(tmp_path: Path) -> None:
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.letters import make_letters

    year = copy_root("small", tmp_path) / "fy2012"
    donors = year / "data/donors.csv"
    rows = donors.read_text("utf-8").splitlines()
    donors.write_text("\n".join([rows[0] + ",member_since", rows[1] + ",1998",
                                 rows[2] + ","]) + "\n", "utf-8")  # fmt: skip
    letter = year / "narrative/09-letter.en.md"
    letter.write_text("---\nrole: letter\n---\n{{salutation}}\n\nA member since "
                      "{{donor.member_since}}, {{ donor.id }}.\n", "utf-8")  # fmt: skip
    loaded = load_year(year, Diagnostics())
    assert loaded is not None
    [first, second] = make_letters(loaded, None)
    assert "A member since 1998, D-001." in (first.body_html or "")
    assert "A member since , D-002." in (second.body_html or "")
    letter.write_text(letter.read_text("utf-8") + "\nYour {{donor.member_snice}}.\n", "utf-8")
    [error] = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    assert error.location.path == letter and error.location.line == 8
    assert "{{donor.member_snice}}" in error.message and "'member_since'" in error.message


# --- numbers issued once ------------------------------------------------------


def _us_year(tmp_path: Path) -> Path:
    return copy_root("receipts", tmp_path) / "us"


def _numbers(out: Path, year: str = "us") -> dict[str, str]:
    import pikepdf

    from reportgen.typesetting.receipts import recorded_number

    found = {}
    for path in sorted((out / year / "receipts").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            donor, number = recorded_number(pdf)
        found[donor] = number
    return found


def test_numbers_are_stable_and_a_changed_gift_gives_a_replacement(tmp_path: Path) -> None:
    year = _us_year(tmp_path)
    out = tmp_path / "out"
    log = receipt_log.location(year)
    run_build(year, out, workers=1)
    first = _numbers(out)
    assert first == {"S-1": "2012-0001"}
    before = log.read_bytes()
    run_build(year, out, workers=1, cache=False)  # rebuilt from nothing: the same number
    assert _numbers(out) == first and log.read_bytes() == before
    # a new donor's gift: the next number, the first donor's kept
    (year / "data/donors.csv").write_text("id,name\nS-1,Grace Sampleton\nS-2,Ben Newman\n")
    gifts = year / "data/gifts.csv"
    gifts.write_text(gifts.read_text("utf-8") + "S-2,2012-06-01,75,,,,,,\n", "utf-8")
    run_build(year, out, workers=1)
    assert _numbers(out) == {"S-1": "2012-0001", "S-2": "2012-0002"}
    # a corrected gift: a replacement with a number of its own, saying what it replaces
    gifts.write_text(gifts.read_text("utf-8").replace("2012-11-27,500", "2012-11-27,550"))
    run_build(year, out, workers=1)
    assert _numbers(out) == {"S-1": "2012-0003", "S-2": "2012-0002"}
    text = _flat(ParsedPdf(out / "us/receipts/s-1.pdf").all_text())
    assert "Thisreceiptreplacesreceipt2012-0001,whichiscancelled." in text
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["number"], r["replaces"]) for r in records] == [
        ("2012-0001", ""),
        ("2012-0002", ""),
        ("2012-0003", "2012-0001"),
    ]
    assert len({r["gifts_sha256"] for r in records}) == 3  # never two numbers for one set of gifts
    # a benefit's value corrected: what the receipt says of a gift changed, so a replacement
    gifts.write_text(gifts.read_text("utf-8").replace("spring gala,60", "spring gala,65"))
    run_build(year, out, workers=1)
    assert _numbers(out) == {"S-1": "2012-0004", "S-2": "2012-0002"}
    text = _flat(ParsedPdf(out / "us/receipts/s-1.pdf").all_text())
    assert "replacesreceipt2012-0003" in text and "$65" in text


def test_a_year_made_by_new_from_numbers_its_receipts_apart(tmp_path: Path) -> None:
    from reportgen.commands.new import new_year

    set_root = copy_root("receipts", tmp_path)
    for other in ("au", "uk", "jp", "kr"):
        shutil.rmtree(set_root / other)
    year = set_root / "us"
    run_build(year, tmp_path / "out", workers=1)
    before = receipt_log.location(year).read_bytes()
    nxt = set_root / "us2013"
    new_year(nxt, source=year)
    settings_text = (nxt / "report.toml").read_text("utf-8")
    assert "[receipts]" in settings_text and "issued" not in settings_text  # dated anew
    (nxt / "data/donors.csv").write_text("id,name\nS-1,Grace Sampleton\n", "utf-8")
    (nxt / "data/gifts.csv").write_text("donor,date,amount\nS-1,2013-03-01,40\n", "utf-8")
    run_build(nxt, tmp_path / "out", workers=1)
    assert _numbers(tmp_path / "out", "us2013") == {"S-1": "2013-0001"}
    assert receipt_log.location(year).read_bytes() == before  # last year's log untouched
    run_build(year, tmp_path / "out", workers=1, cache=False)
    assert _numbers(tmp_path / "out") == {"S-1": "2012-0001"}
    # no number of last year's log is issued again by this year's
    logs = [receipt_log.scan(receipt_log.location(y).read_bytes()) for y in (year, nxt)]
    assert logs[0].numbers and logs[1].numbers and not set(logs[0].numbers) & set(logs[1].numbers)


def test_a_log_cut_at_any_byte_gives_the_same_numbers_again() -> None:
    """A build killed while writing the log leaves a prefix of it (the records
    go out one write and fsync each, before any receipt is moved into place):
    whatever the prefix, the next build issues exactly the numbers the whole
    log holds, and never one number to two donors."""
    wanted = [receipt_log.Wanted(f"D-{i}", f"d-{i}", (("2012-05-01", str(i)),)) for i in range(4)]
    issued = receipt_log.assign(receipt_log.State(), wanted, "X-", date(2013, 1, 5))
    data = b"".join(receipt_log.record_line(entry) for entry in issued)
    numbers = [entry.number for entry in issued]
    for cut in range(len(data) + 1):
        again = receipt_log.assign(receipt_log.scan(data[:cut]), wanted, "X-", date(2013, 1, 6))
        assert [entry.number for entry in again] == numbers, cut


# Lines as reportgen wrote them before the two logs shared one file class
# (writing.append_log): the format on disk is a contract with existing logs.
_OLD_RECEIPT_LINE = (
    b'{"number": "R-0001", "sequence": 1, "donor": "d", "slug": "s", "gifts": [["2024-01-01",'
    b' "10.00"]], "gifts_sha256": "gg", "issued": "2024-12-31", "pdf_sha256": "pp", "replaces":'
    b' "", "check": "730c5cbb17d7347f9e4a76c54c26d59a85cd416e98967a0ad6c0d2d9e37e8eb8"}\n'
)
_OLD_SEND_LINE = (
    b'{"slug": "d-1", "id": "x", "email": "a@b", "sha256": "ff", "status": "sent", "time": "t",'
    b' "message_id": "<m>", "check": "770e694d0c21bead609ac82aa096536fe1fbecf77ed05b253397b165'
    b'b7a1fd40"}\n'
)


def test_both_logs_read_and_write_the_lines_they_always_wrote(tmp_path: Path) -> None:
    from reportgen.writing import send_log

    entry = receipt_log.scan(_OLD_RECEIPT_LINE).latest["d"]
    assert (entry.number, entry.gifts) == ("R-0001", (("2024-01-01", "10.00"),))
    assert receipt_log.record_line(entry) == _OLD_RECEIPT_LINE
    sent = send_log.Entry("d-1", "x", "a@b", "ff", send_log.SENT, "t", message_id="<m>")
    assert send_log.record_line(sent) == _OLD_SEND_LINE
    path = tmp_path / "fy.send-log.jsonl"
    path.write_bytes(_OLD_SEND_LINE[:-1])  # an old log whose last write was cut off
    with send_log.Log(path) as log:  # sealed, then appended after a newline
        log.append([sent])
    assert path.read_bytes() == _OLD_SEND_LINE * 2
    assert send_log.read([(path, False)]).get("d-1") == send_log.History("ff", pending=False)
    with receipt_log.Log(tmp_path / "fy.receipt-log.jsonl") as rlog:
        rlog.append([entry])
        assert rlog.read().latest["d"] == entry


@pytest.mark.slow
def test_kill_9_during_a_build_keeps_every_number_issued_once(tmp_path: Path) -> None:
    year = _us_year(tmp_path)
    donors = ["id,name"] + [f"S-{i},Donor {i}" for i in range(1, 31)]
    (year / "data/donors.csv").write_text("\n".join(donors) + "\n", "utf-8")
    gifts = ["donor,date,amount"] + [f"S-{i},2012-0{1 + i % 9}-1{i % 10},{10 * i}"
                                     for i in range(1, 31)]  # fmt: skip
    (year / "data/gifts.csv").write_text("\n".join(gifts) + "\n", "utf-8")
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    shutil.copytree(year.parent, reference)
    run_build(reference / "us", tmp_path / "reference-out", workers=1)
    expected = _numbers(tmp_path / "reference-out")
    rng = random.Random(28)
    for _ in range(4):
        process = subprocess.Popen(
            [sys.executable, "-m", "reportgen", "build", str(year), "--out", str(out), "-q",
             "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if (out / "us/receipts").is_dir():  # what reached the output is in the log
            state = receipt_log.scan(receipt_log.location(year).read_bytes())
            for donor, number in _numbers(out).items():
                assert state.latest[donor].number == number
    run_build(year, out, workers=1)
    assert _numbers(out) == expected
    state = receipt_log.scan(receipt_log.location(year).read_bytes())
    assert {donor: entry.number for donor, entry in state.latest.items()} == expected
    assert set(state.numbers) == set(expected.values())  # no number went to two donors


@pytest.mark.parametrize(
    ("sample", "year", "slugs"),
    [("reports", "fy2012", {"d-001", "d-002", "d-009"}),
     ("examples/uk-food-bank", "fy2024", {"uk-001", "uk-002", "uk-003"})],
)  # fmt: skip
def test_the_samples_receipts_build_with_strict(
    tmp_path: Path, sample: str, year: str, slugs: set[str]
) -> None:
    """The samples' receipts pass ``--strict``: no warning of the input, no
    finding of the preflight on any receipt page (a sparse page, a broken
    date, a missing glyph). Receipts only: the rest of each sample is the
    other tests' (a whole sample is too dear to build here)."""
    source = Path(__file__).resolve().parents[1] / sample
    shutil.copytree(source, tmp_path / "set", ignore=shutil.ignore_patterns("*.jsonl"))
    run_build(tmp_path / "set" / year, tmp_path / "out", editions=["receipts"], workers=1,
              strict=True)  # fmt: skip
    made = {p.stem for p in (tmp_path / "out" / year / "receipts").glob("*.pdf")}
    assert made == slugs


# --- isolation: each receipt holds only its donor's gifts ----------------------

_NAMES = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=6, max_size=10)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    donors=st.lists(_NAMES, min_size=2, max_size=6, unique=True),
    data=st.data(),
)
def test_each_receipt_holds_only_its_own_donors_gifts(
    donors: list[str], data: st.DataObject
) -> None:
    """Generated donors and gifts, receipts made (not laid out): every gift
    is on its donor's receipt and on no other."""
    from dataclasses import replace

    from reportgen.reading.model import Donor, Gift
    from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors

    year = _model_year()
    amounts = iter(range(1001, 100000, 7))
    gifts = []
    for index, _name in enumerate(donors):
        for _ in range(data.draw(st.integers(0, 3))):
            gifts.append(Gift(f"D{index}", date(2012, data.draw(st.integers(1, 12)), 1),
                              Decimal(next(amounts))))  # fmt: skip
    people = tuple(Donor(n, id=f"D{i}", address=f"{n} House") for i, n in enumerate(donors))
    year = replace(year, donors=people, gifts=tuple(gifts))
    settings = year.config.receipts
    assert settings is not None
    made = receipt_donors(year)
    assert {donor.id for _, donor, _ in made} == {g.donor for g in gifts}
    for slug, donor, own in made:
        receipt = make_receipt(year, settings, slug, donor, own, Numbered("1", date(2013, 1, 1)))
        mine = [g for g in gifts if g.donor == donor.id]
        assert sorted(line.amount for line in receipt.lines) == sorted(
            f"${g.amount:,}" for g in mine
        )
        assert receipt.total == f"${sum(g.amount for g in mine):,}"
        shown = repr(receipt)
        for other in people:
            assert (other.name in shown) == (other is donor)


def _model_year():  # type: ignore[no-untyped-def]
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics

    global _YEAR
    if _YEAR is None:
        _YEAR = load_year(Path(__file__).parent / "roots/receipts/us", Diagnostics())
    return _YEAR


_YEAR = None


@pytest.mark.parametrize("name", sorted(presets()))
def test_a_printed_preset_is_a_receipts_table_that_says_what_the_preset_says(name: str) -> None:
    from reportgen.reading.receipt_presets import as_toml
    from reportgen.reading.settings import loads

    table = dict(loads(as_toml(name)).items())["receipts"]
    assert table == {"preset": name, **dict(presets()[name].values)}
    assert any(word in presets()[name].note for word in ("adviser", "確認", "확인"))


def test_a_donor_with_no_gift_aided_gift_is_not_told_of_a_claim() -> None:
    from dataclasses import replace

    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors

    year = load_year(Path(__file__).parent / "roots/receipts/uk", Diagnostics())
    assert year is not None and year.config.receipts is not None
    preset = presets()["uk-gift-aid"]
    never = replace(year, gifts=tuple(replace(g, gift_aid="no") for g in year.gifts))
    for model, claim in ((year, True), (never, False)):
        slug, donor, gifts = receipt_donors(model)[0]
        receipt = make_receipt(model, model.config.receipts, slug, donor, gifts,  # type: ignore[arg-type]
                               Numbered("1", date(2013, 4, 20)))  # fmt: skip
        said = str(preset.get("statement" if claim else "statement_no_gift_aid"))
        assert receipt.statement == said.replace("{organization}", "Riverside Food Bank")
        assert bool(receipt.gift_aid_years) is claim
    # The invitation to make a declaration (the letters' one rule): a person
    # without one on file only; never an organisation, never a donor who made one.
    slug, donor, gifts = receipt_donors(never)[0]
    assert donor.gift_aid_declared is not None
    undeclared = replace(donor, gift_aid_declared=None)
    for who, invited in ((undeclared, True), (replace(undeclared, type="organisation"), False),
                         (donor, False)):  # fmt: skip
        receipt = make_receipt(never, never.config.receipts, slug, who, gifts,  # type: ignore[arg-type]
                               Numbered("1", date(2013, 4, 20)))  # fmt: skip
        assert ("please ask us for a declaration" in receipt.statement) is invited, who


@pytest.mark.parametrize("kind", ["link", "dangling link"])
def test_a_receipt_log_that_is_a_link_is_refused_and_nothing_is_written(
    tmp_path: Path, kind: str
) -> None:
    """The log is opened without following a link: a link planted in its
    place (to a file elsewhere, or to none) is a located error, and neither
    the file it points at nor the output folder is touched."""
    year = _us_year(tmp_path)
    elsewhere = tmp_path / "elsewhere.jsonl"
    if kind == "link":
        elsewhere.write_text("", "utf-8")
    receipt_log.location(year).symlink_to(elsewhere)
    out = tmp_path / "out"
    with pytest.raises(InvalidInput) as caught:
        run_build(year, out, workers=1)
    (problem,) = caught.value.diagnostics
    assert problem.location.path == receipt_log.location(year)
    assert "the receipt log" in problem.message and "symbolic link" in problem.message
    assert not (out / "us").exists()
    assert elsewhere.read_text("utf-8") == "" if kind == "link" else not elsewhere.exists()


# --- review fixes (issue 28, part 7): Gift Aid by UK tax year ------------------


def test_gift_aid_is_stated_per_uk_tax_year_and_rounded_to_the_penny() -> None:
    """The UK tax year runs 6 April to 5 April: a gift of 5 April belongs to
    the year before (the charity's financial year does not decide), and each
    year's claim is its total at 25p per £1, rounded half up to the penny."""
    from reportgen.reading.model import Gift
    from reportgen.typesetting.receipts import gift_aid_by_tax_year, uk_tax_year

    assert uk_tax_year(date(2024, 4, 5)) == 2023 and uk_tax_year(date(2024, 4, 6)) == 2024
    gifts = [
        Gift("A", date(2024, 4, 5), Decimal("20"), gift_aid="yes"),
        Gift("A", date(2024, 4, 6), Decimal("10.01"), gift_aid="yes"),
        Gift("A", date(2025, 1, 5), Decimal("0.01"), gift_aid="yes"),
        Gift("A", date(2025, 2, 1), Decimal("500"), gift_aid="no"),  # not Gift Aided
    ]
    years = gift_aid_by_tax_year(gifts)
    assert [(y.label, y.aided, y.claimed, y.gross) for y in years] == [
        ("2023–24", Decimal("20"), Decimal("5.00"), Decimal("25.00")),
        ("2024–25", Decimal("10.02"), Decimal("2.51"), Decimal("12.53")),  # 2.505 up
    ]


def test_a_gift_aid_statement_names_itself_and_the_donors_own_higher_rate_claim(
    built_receipts: Built,
) -> None:
    """What an accountant and HMRC's guidance expect of the statement: the
    claim per tax year at the basic rate with the grossed-up gifts, a note
    that relief above the basic rate is the donor's own claim, a statement
    number (not a "receipt": the UK has no tax receipt), and no claim
    promised to a donor without Gift Aid, who is told only individuals qualify."""
    u1 = _flat(built_receipts.receipt("uk", "u-1"))
    # (whole pounds: no pence on any amount of this receipt, the claim's too)
    assert _flat("UK tax year") in u1 and "2012–13" in u1 and "£20£5£25" in u1
    assert _flat("a rate above the basic rate") in u1 and "SelfAssessment" in u1
    assert "Statementno." in u1 and "Receiptno." not in u1
    preset = presets()["uk-gift-aid"]
    assert "individuals" in str(preset.get("gift_aid_invitation"))


# --- receipts in the report's languages (issue 28) ------------------------------


def _bilingual_jp(tmp_path: Path, statement_en: bool) -> Path:
    """The Japanese preset's root, reported in Japanese and English, with an
    English-speaking donor whose gift's method is translated in its own column."""
    year = copy_root("receipts", tmp_path) / "jp"
    report = year / "report.toml"
    text = report.read_text("utf-8").replace('languages = ["ja"]', 'languages = ["ja", "en"]')
    if statement_en:
        text += ('statement_en = "We received the amount above as a gift to our work."\n'
                 'title_en = "Receipt for gifts"\n')  # fmt: skip
    report.write_text(text, "utf-8")
    (year / "data/donors.csv").write_text(
        "id,name,address,tax_id,language\n"
        "J-1,山田花子,大阪府大阪市北区試験1-1,,ja\n"
        'J-2,Ann Reader,"1 Test Road, Osaka",,en\n'
        "J-3,名無し,京都府京都市,,\n",
        "utf-8",
    )
    (year / "data/gifts.csv").write_text(
        "donor,date,amount,fund,method,method_en\n"
        "J-1,2012-04-01,10000,,振込,bank transfer\n"
        "J-2,2012-12-20,30000,,振込,bank transfer\n"
        "J-3,2012-12-21,1000,,現金,cash\n",
        "utf-8",
    )
    return year


def test_a_donor_in_another_language_without_the_statement_in_it_is_a_located_error(
    tmp_path: Path,
) -> None:
    year = _bilingual_jp(tmp_path, statement_en=False)
    errors = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    [error] = errors
    assert error.location.path.name == "report.toml" and error.location.line
    assert "'en'" in error.message and "jp-nintei-npo" in error.message
    assert "'statement_en'" in error.message and "'title_en'" in error.message


def test_each_donor_gets_the_receipt_in_their_own_language(tmp_path: Path) -> None:
    """The donor's language chooses the receipt's words, statement, title and
    the gifts' translated values; a donor without one gets the receipts'
    language (Japanese here), never the report's first."""
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.model import letter_language
    from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors

    root = _bilingual_jp(tmp_path, statement_en=True)
    (root / "report.toml").write_text(
        (root / "report.toml").read_text("utf-8").replace('["ja", "en"]', '["en", "ja"]'), "utf-8"
    )
    assert not [d for d in run_check(root).diagnostics if d.severity.value == "error"]
    year = load_year(root, Diagnostics())
    assert year is not None and year.config.receipts is not None
    made = {
        donor.id: make_receipt(year, year.config.receipts, slug, donor, gifts,
                               Numbered("R-1", date(2013, 1, 10)))
        for slug, donor, gifts in receipt_donors(year)
    }  # fmt: skip
    ja, en, neither = made["J-1"], made["J-2"], made["J-3"]
    assert (ja.language, ja.title, ja.lines[0].method) == ("ja", "寄附金受領証明書", "振込")
    assert (en.language, en.title) == ("en", "Receipt for gifts")
    assert en.statement == "We received the amount above as a gift to our work."
    assert en.lines[0].method == "bank transfer" and dict(en.words)["receipt_total"] == "Total"
    # no language of their own: the receipts' (ja), though the letter's is the report's first
    donor = next(d for d in year.donors if d.id == "J-3")
    assert letter_language(year.config, donor) == "en" and neither.language == "ja"
    assert neither.lines[0].method == "現金"


def _font_names(path: Path) -> set[str]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return {
            str(font.get("/BaseFont", ""))
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }


def test_each_receipt_is_set_in_its_own_languages_faces(tmp_path: Path) -> None:
    """A Korean donor's receipt in a Japanese report: the Korean pack's
    stylesheet (its faces, its line breaking), never the Japanese one of
    [receipts]' language, which would set the Hangul in the JP faces."""
    year = copy_root("receipts", tmp_path) / "jp"
    report = year / "report.toml"
    text = report.read_text("utf-8").replace('languages = ["ja"]', 'languages = ["ja", "ko"]')
    report.write_text(text + 'statement_ko = "위 금액을 기부금으로 받았습니다."\n'
                      'title_ko = "기부금 영수증"\n', "utf-8")  # fmt: skip
    (year / "data/donors.csv").write_text(
        "id,name,address,language\nJ-1,山田花子,大阪府大阪市北区試験1-1,ja\n"
        "J-2,김시험,서울특별시 마포구 견본로 5,ko\n", "utf-8"
    )  # fmt: skip
    (year / "data/gifts.csv").write_text(
        "donor,date,amount\nJ-1,2012-04-01,10000\nJ-2,2012-12-20,30000\n", "utf-8"
    )
    run_build(year, tmp_path / "out", workers=1)
    ja, ko = (_font_names(tmp_path / f"out/jp/receipts/{s}.pdf") for s in ("j-1", "j-2"))
    assert any("CJK-JP" in f for f in ja), ja
    assert any("CJK-KR" in f for f in ko), ko
    assert not any("CJK-JP" in f for f in ko), ko


def test_a_gifts_fund_takes_the_funds_tables_translation_unless_it_has_its_own(
    tmp_path: Path,
) -> None:
    """A fund's name is translated once, in the funds table (``fund_<tag>``);
    a gift's own ``fund_<tag>`` cell wins over it."""
    from dataclasses import replace

    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.model import Fund
    from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors

    year = load_year(_bilingual_jp(tmp_path, statement_en=True), Diagnostics())
    assert year is not None and year.config.receipts is not None
    gifts = tuple(
        replace(
            g, fund="冬季募金", extra=(("fund_en", "Winter gifts"),) if g.donor == "J-3" else ()
        )
        for g in year.gifts
    )
    year = replace(
        year, gifts=gifts, funds=(Fund("冬季募金", extra=(("fund_en", "Winter appeal"),)),)
    )
    by_id = {d.id: (s, d, g) for s, d, g in receipt_donors(year)}
    shown = {}
    for ident in ("J-1", "J-2"):
        slug, donor, own = by_id[ident]
        receipt = make_receipt(
            year, year.config.receipts, slug, donor, own, Numbered("1", date(2013, 1, 10))
        )
        shown[ident] = receipt.lines[0].fund
    assert shown == {"J-1": "冬季募金", "J-2": "Winter appeal"}
    slug, donor, own = by_id["J-3"]
    donor = replace(donor, language="en")
    receipt = make_receipt(
        year, year.config.receipts, slug, donor, own, Numbered("1", date(2013, 1, 10))
    )
    assert receipt.lines[0].fund == "Winter gifts"


# --- gifts in two tax years: each year's total (issue 28, part 7) ---------------


def test_a_receipt_whose_gifts_span_two_tax_years_gives_each_years_total(tmp_path: Path) -> None:
    """A donor's return counts the gifts of one tax year (Japan, Korea and
    the US: the calendar year; Australia: July to June), and an organisation's
    year often spans two: the receipt then gives each tax year's total above
    its own. One tax year: the total alone. Gift Aid receipts say it in their
    own table."""
    from dataclasses import replace

    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.model import Gift
    from reportgen.typesetting.receipts import (
        Numbered,
        make_receipt,
        receipt_donors,
        tax_year_totals,
    )

    gifts = [
        Gift("A", date(2012, 10, 1), Decimal("10")),
        Gift("A", date(2013, 3, 15), Decimal("5")),
        Gift("A", date(2013, 6, 30), Decimal("1")),
    ]
    assert tax_year_totals(gifts, (1, 1)) == ((2012, Decimal("10")), (2013, Decimal("6")))
    assert tax_year_totals(gifts, (7, 1)) == ()  # one Australian tax year: no split
    assert tax_year_totals(gifts, None) == ()
    year = load_year(Path(__file__).parent / "roots/receipts/au", Diagnostics())
    assert year is not None and year.config.receipts is not None
    assert year.config.receipts.tax_year_start == (7, 1)  # the preset's
    slug, donor, own = receipt_donors(year)[0]  # 15 Aug 2012 and 1 Feb 2013
    numbered = Numbered("1", date(2013, 7, 5))
    assert make_receipt(year, year.config.receipts, slug, donor, own, numbered).tax_years == ()
    calendar = replace(year.config.receipts, tax_year_start=(1, 1))
    receipt = make_receipt(year, calendar, slug, donor, own, numbered)
    assert receipt.tax_years == (("Total for the tax year 2012", "$50.00"),
                                 ("Total for the tax year 2013", "$120.50"))  # fmt: skip


# --- gifts with a benefit, and the UK's declaration -----------------------------

_GIFT_ROW = {  # a gift with a benefit, in each root's year, for a donor it has
    "au": "A-2,2013-05-30,150,,card,,,Gala dinner,80",
    "jp": "J-2,2012-12-20,20000,,現金,,,記念品,3000",
    "kr": "K-2,2012-12-10,50000,,현금,,,기념품,10000",
}


@pytest.mark.parametrize(
    ("year", "row", "column", "said"),
    [
        *((y, r, "benefit", PRESET_OF[y]) for y, r in _GIFT_ROW.items()),
        ("us", "S-1,2012-07-01,90,,check,,,Concert ticket,", "benefit", "'benefit_value' is empty"),
        ("us", "S-1,2012-07-01,40,,check,,,Concert ticket,45", "benefit_value", "more than"),
        ("uk", "U-1,2012-07-01,100,,card,yes,,Supper,30", "benefit_value", "limit"),
        ("uk", "U-1,2012-07-01,5000,,card,yes,,Supper,260", "benefit_value", "limit"),
    ],
)
def test_a_gift_its_receipt_cannot_state_is_an_error_at_its_cell(
    tmp_path: Path, year: str, row: str, column: str, said: str
) -> None:
    """AU (a gift with a material benefit is not a gift), JP (特別の利益) and
    KR (대가성): no receipt for a gift with a benefit; anywhere, a benefit
    has its description and value, the value within the gift; in the UK a
    Gift Aided gift's benefit within HMRC's limits (25 % up to £100; 5 %
    above £1,000, here 5 % of £5,000 = £250 < £260). Checked, never built."""
    root = copy_root("receipts", tmp_path) / year
    gifts = root / "data/gifts.csv"
    rows = gifts.read_text("utf-8").splitlines()
    header = rows[0] if "benefit" in rows[0] else rows[0] + ",benefit,benefit_value"
    body = [r if r.count(",") == header.count(",") else r + ",," for r in rows[1:]]
    gifts.write_text("\n".join([header, *body, row]) + "\n", "utf-8")
    errors = [d for d in run_check(root).diagnostics if d.severity.value == "error"]
    [error] = errors
    assert error.location.path.name == "gifts.csv" and error.location.line == len(rows) + 1
    assert f"column '{column}'" in error.message or f"'{column}'" in error.message
    assert said in error.message


def test_a_gift_aided_gift_needs_its_donors_declaration_and_a_benefit_within_limits_is_listed(
    tmp_path: Path,
) -> None:
    root = copy_root("receipts", tmp_path) / "uk"
    donors = root / "data/donors.csv"
    donors.write_text(donors.read_text("utf-8").replace(",2012-11-02", ","), "utf-8")
    errors = [d for d in run_check(root).diagnostics if d.severity.value == "error"]
    # each of U-2's two Gift Aided gifts, at its own gift_aid cell (lines 5 and 6)
    assert sorted(e.location.line or 0 for e in errors) == [5, 6]
    assert all("'U-2'" in e.message and "gift_aid_declared" in e.message for e in errors)
    # a gift not Gift Aided may carry any benefit: no limit is HMRC's business then
    root = copy_root("receipts", tmp_path / "again") / "uk"
    gifts = root / "data/gifts.csv"
    gifts.write_text(gifts.read_text("utf-8") + "U-1,2012-07-01,100,,card,no,,Supper,90\n")
    assert not [d for d in run_check(root).diagnostics if d.severity.value == "error"]


def test_the_uk_benefit_limits_are_hmrcs() -> None:
    from reportgen.reading.validate import gift_aid_benefit_limit as limit

    assert limit(Decimal(80)) == Decimal("20.00")  # 25 % up to £100
    assert limit(Decimal(100)) == Decimal("25.00")
    assert limit(Decimal("100.01")) == Decimal(25)  # £25 from £100.01 to £1,000
    assert limit(Decimal(1000)) == Decimal(25)
    assert limit(Decimal(2000)) == Decimal(100)  # 5 % above
    assert limit(Decimal(100000)) == Decimal(2500)  # never above the year's £2,500


def test_a_tax_year_start_that_is_no_day_of_the_year_is_a_located_error(tmp_path: Path) -> None:
    year = copy_root("receipts", tmp_path) / "us"
    report = year / "report.toml"
    report.write_text(report.read_text("utf-8") + 'tax_year_start = "02-30"\n', "utf-8")
    [error] = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    assert error.location.line and "'tax_year_start': '02-30'" in error.message


# --- read at a glance (design review 3) --------------------------------------


def test_a_receipt_says_once_what_every_row_would_repeat(built_receipts: Built) -> None:
    """A fund only some gifts have stands beside their method, not in a column
    empty in most rows; a Gift Aid column only when the gifts differ, else one
    line; one money format (see the preset test)."""
    mixed = _flat(built_receipts.receipt("uk", "u-1"))  # Yes, Yes, No; one gift to a fund
    assert _flat("cheque (Winter appeal)") in mixed and "Fund" not in mixed
    assert mixed.count("Yes") == 2 and "allareGiftAided" not in mixed
    aided = _flat(built_receipts.receipt("uk", "u-2"))  # both gifts Gift Aided
    assert _flat("Your declaration covers every gift below: all are Gift Aided.") in aided
    assert "Yes" not in aided


def test_a_receipt_of_one_gift_speaks_of_one() -> None:
    """statement_one, chosen by CLDR's plural rules for the receipt's language:
    "this donation" for Ms Ellison's single gift (en); the sample's one
    Japanese text for Ms Yamada's two (Japanese counts no plural)."""
    year = load_year(SAMPLE / "fy2012", Diagnostics())
    assert year is not None and year.config.receipts is not None
    made = {
        donor.id: make_receipt(year, year.config.receipts, slug, donor, gifts,
                               Numbered("R-1", date(2013, 10, 20)))
        for slug, donor, gifts in receipt_donors(year)
    }  # fmt: skip
    assert len([g for g in year.gifts if g.donor == "D-001"]) == 1
    assert "this donation does not qualify" in made["D-001"].statement
    assert "these donations" not in made["D-001"].statement
    assert "寄附金控除の対象となりません" in made["D-002"].statement
    # And its heading agrees (title_one; review r35: "Receipt for donations"
    # over a single ¥50,000 gift).
    assert made["D-001"].title == "Receipt for a donation"
    assert made["D-002"].title == "寄附金領収書"


# --- a regular giver's receipt: every line printed (design review r36) -------


@pytest.mark.parametrize(
    ("year", "slug", "count"), [("uk", "u-3", 12), ("uk", "u-4", 40), ("jp", "j-3", 12),
                                ("jp", "j-4", 40)],
)  # fmt: skip
def test_a_regular_givers_receipt_prints_its_statement_and_signature_whole(
    built_receipts: Built, year: str, slug: str, count: int
) -> None:
    """The statement was a float: after eleven gifts under a full letterhead
    WeasyPrint cut it at the page's foot and dropped the rest (uk-001 lost
    "to cancel your declaration ... no longer pay enough tax"). Now it goes
    on to a second page with the signature, the list's last rows and the
    totals, and each page names the receipt's number and its donor."""
    root = built_receipts.root / year
    gifts = [g for g in _csv(root / "data/gifts.csv") if g["donor"] == slug.upper()]
    assert len(gifts) == count
    donor = next(d for d in _csv(root / "data/donors.csv") if d["id"] == slug.upper())
    pdf = built_receipts.pdf(year, slug)
    text = _flat(pdf.all_text())
    preset = presets()[PRESET_OF[year]]
    name = re.search(r'^name = "(.*)"', (root / "report.toml").read_text("utf-8"), re.M)
    assert name
    statement = str(preset.get("statement")).replace("{organization}", name.group(1))
    assert _unbracketed(statement) in _unbracketed(text)
    assert "PatTreasurer" in text  # the signature, after the statement
    assert all(_day(g["date"], year) in text for g in gifts)
    number = re.search(r"[A-Z-]*\d{4}-\d{4}", text)
    assert number
    for page in range(1, pdf.page_count + 1):  # the running foot: number and donor
        assert number.group(0) in _flat(pdf.text(page)), page
        assert _flat(donor["name"]) in _flat(pdf.text(page)), page
    assert pdf.page_count == (2 if count == 40 else pdf.page_count)
    assert slug not in built_receipts.preflight(), built_receipts.preflight()
