"""Grammar the packs' words call by name: Korean particles chosen by the
sound that ends the word before them, and Japanese counters that differ
from "number + word".

A pack word names a value and, after ``|``, what follows it:
``"{org|과} 함께해"`` prints "북한난민구원기금과 함께해" and "NGO와 함께해";
``"{count|つ}の連携団体"`` prints "2つの連携団体" and "12の連携団体";
``"{name|plural} ({count})"`` prints "embassies (6)". Pure
functions, no rendering: ``apply`` is what ``languages.fill`` calls.

Korean particles (조사) that have two forms take the first after a closed
syllable (one with 받침) and the second after an open one; the 으로 family
also takes the short form after ㄹ (서울로, 교실로). What ends a word is read
as a Korean reader says it: Hangul by its last syllable; digits by their
Sino-Korean reading (2025: 오, open; 6: 육, closed; 10: 십; 1000: 천;
20000: 만); Latin capitals letter by letter (NGO: 오, UN: 엔, LFNKR: 알);
other Latin words by how Korean loanword spelling ends them (Google 구글:
ㄹ; book 북, cat 캣: closed; Peter 피터, variant 배리언트, print 프린트:
open). A supplementary parenthesis after a word does not count
("부처(4건)와"), nor closing quotes or brackets ("〈귀향〉을", the title
inside is read). A word in a script Korean does not
read (kanji, kana) takes the closed form.
"""

from __future__ import annotations

import re
import unicodedata

# (after a closed syllable, after an open one); 으로 and its family also
# take the open form after ㄹ.
PARTICLES: tuple[tuple[str, str], ...] = (
    ("이", "가"),
    ("을", "를"),
    ("은", "는"),
    ("과", "와"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이나마", "나마"),
    ("이든지", "든지"),
    ("이든", "든"),
    ("이라도", "라도"),
    ("이라고", "라고"),
    ("이라는", "라는"),
    ("이라면", "라면"),
    ("이며", "며"),
    ("이고", "고"),
    ("이에요", "예요"),
    ("이었다", "였다"),
    ("이었습니다", "였습니다"),
    ("이야", "야"),
    ("이여", "여"),
    ("아", "야"),
    ("으로", "로"),
    ("으로서", "로서"),
    ("으로써", "로써"),
    ("으로는", "로는"),
    ("으로도", "로도"),
    ("으로부터", "로부터"),
    ("으로의", "로의"),
)
_RO = "으로"  # the family that treats ㄹ as open

# Every spelling of a particle a word may name: 과, 와, 과/와, 와(과), ...
_FORMS: dict[str, tuple[str, str]] = {}
for _closed, _open in PARTICLES:
    for _form in (_closed, _open, f"{_closed}/{_open}", f"{_open}/{_closed}",
                  f"{_closed}({_open})", f"{_open}({_closed})"):  # fmt: skip
        _FORMS.setdefault(_form, (_closed, _open))
_LONGEST_FIRST = sorted(_FORMS, key=len, reverse=True)

OPEN, RIEUL, CLOSED = "open", "rieul", "closed"  # how a word ends: no 받침, ㄹ, other 받침

# Sino-Korean readings: each digit, and the place a run of trailing zeros names.
_DIGIT_END = (CLOSED, RIEUL, OPEN, CLOSED, OPEN, OPEN, CLOSED, RIEUL, RIEUL, OPEN)
# 영 일 이 삼 사 오 육 칠 팔 구
_PLACE_END = {1: CLOSED, 2: CLOSED, 3: CLOSED}  # 십 백 천
_MYRIAD_END = (CLOSED, CLOSED, OPEN, CLOSED)  # 만 억 조 경, every four zeros
# How each Latin letter's name ends when read aloud: L 엘, M 엠, N 엔, R 알.
_LETTER_END = {"L": RIEUL, "R": RIEUL, "M": CLOSED, "N": CLOSED}
_SYMBOL_END = {"%": OPEN}  # 퍼센트
# How Korean loanword spelling ends a Latin word: m, n, ng and a silent e
# after them are 받침 (팀, 펜, 빙, 네임, 라인); p, t, k, c, b right after one
# short vowel are too (컵, 캣, 북, 퍼블릭, 웹), as is ck (팩); after a long
# vowel or another consonant they take a vowel (배리언트, 프린트, 시트), as do
# d, s, f, g, v, x, z, ch, sh, th and r (워드, 클래스, 스태프, 태그, 박스, 피터).
_CLOSED_LATIN_ENDS = ("ng", "m", "n", "me", "ne", "ck", "ook", "out")  # 북, 레이아웃
_SHORT_STOPS = "ptkcb"
_VOWELS = "aeiou"
_LATIN_SAID = {"theme": OPEN, "type": CLOSED, "group": CLOSED}  # 테마, 타입, 그룹
_CLOSE_MARKS = "\"'”’」』〉》】〕）)]］}｝>"
_PAIRS = {")": "(", "）": "（", "]": "[", "］": "［"}  # supplementary groups, skipped whole
_NUMBER = re.compile(r"(\d[\d,\s]*)(?:\.(\d+))?$")


def _number_end(integer: str, fraction: str | None) -> str:
    if fraction:  # digits after the point are read one by one: 1.5 일 점 오
        return _DIGIT_END[int(fraction[-1])]
    digits = re.sub(r"\D", "", integer)
    stripped = digits.rstrip("0")
    if not stripped:  # 0: 영
        return CLOSED
    zeros = len(digits) - len(stripped)
    if zeros == 0:
        return _DIGIT_END[int(digits[-1])]
    if zeros < 4:
        return _PLACE_END[zeros]
    return _MYRIAD_END[min(zeros // 4, 4) - 1]


def _latin_end(word: str) -> str:
    if len(word) == 1 or word.isupper():  # NGO, UN, LFNKR: letter by letter
        return _LETTER_END.get(word[-1].upper(), OPEN)
    low = word.lower()
    if low in _LATIN_SAID:
        return _LATIN_SAID[low]
    if low.endswith(("l", "le")):
        return RIEUL
    if low.endswith(_CLOSED_LATIN_ENDS):
        return CLOSED
    short = len(low) >= 2 and low[-2] in _VOWELS and (len(low) < 3 or low[-3] not in _VOWELS)
    return CLOSED if low[-1] in _SHORT_STOPS and short else OPEN


def _strip_tail(text: str) -> str:
    """``text`` without what a particle does not agree with: trailing
    spaces, closing quotes and brackets, and a parenthesis or note mark
    after the word ("부처(4건)", "결정[1]")."""
    while True:
        text = text.rstrip()
        if not text:
            return text
        last = text[-1]
        if last in _PAIRS:
            start = text.rfind(_PAIRS[last])
            if start > 0:
                text = text[:start]
                continue
        if last in _CLOSE_MARKS or (unicodedata.category(last).startswith("P") and last != "%"):
            text = text[:-1]
            continue
        return text


def final_sound(text: str) -> str:
    """How ``text`` ends when a Korean reader says it: ``open`` (no 받침),
    ``rieul`` (ㄹ) or ``closed`` (any other 받침)."""
    text = unicodedata.normalize("NFKC", _strip_tail(text))
    if not text:
        return OPEN
    last = text[-1]
    if "\uac00" <= last <= "\ud7a3":
        tail = (ord(last) - 0xAC00) % 28
        return OPEN if tail == 0 else RIEUL if tail == 8 else CLOSED
    if "\u3131" <= last <= "\u314e":  # a lone consonant jamo: ㄱ, ㄴ, ㄹ
        return RIEUL if last == "ㄹ" else CLOSED
    number = _NUMBER.search(text)
    if number and last.isdigit():
        return _number_end(number.group(1), number.group(2))
    if last in _SYMBOL_END:
        return _SYMBOL_END[last]
    latin = re.search(r"[A-Za-z]+$", text)
    if latin:
        return _latin_end(latin.group(0))
    return CLOSED  # kanji, kana, other scripts: Korean does not read them here


def is_particle(name: str) -> bool:
    """Whether ``name`` begins with a Korean particle that has two forms."""
    return any(name.startswith(form) for form in _LONGEST_FIRST)


def particle(word: str, name: str) -> str:
    """The form of particle ``name`` (과, 와, 이/가, 으로의 ...) that follows
    ``word``, with whatever ``name`` adds after the particle (과의: 과 + 의)."""
    form = next((f for f in _LONGEST_FIRST if name.startswith(f)), None)
    if form is None:
        raise ValueError(f"{name!r} is not a Korean particle with two forms")
    closed, open_ = _FORMS[form]
    rest = name[len(form) :]
    sound = final_sound(word)
    if closed.startswith(_RO):
        chosen = open_ if sound in (OPEN, RIEUL) else closed
    else:
        chosen = open_ if sound == OPEN else closed
    return chosen + rest


def with_particle(word: str, name: str) -> str:
    """``word`` followed by the right form of particle ``name``."""
    return f"{word}{particle(word, name)}"


# Japanese native counting (ひとつ … ここのつ) ends at nine: from ten a count
# of things takes no つ ("10の団体"), as Japanese house styles write it.
def japanese_tsu(number: object) -> str:
    """2つ, 9つ, 10 (no つ past nine), for a number written in digits."""
    text = str(number)
    digits = unicodedata.normalize("NFKC", text).replace(",", "")
    if digits.isdigit() and 1 <= int(digits) <= 9:
        return f"{text}つ"
    return text


# English nouns whose plural is not made by the rules of ``english_plural``.
_IRREGULAR = {"person": "people", "child": "children", "woman": "women", "man": "men",
              "staff": "staff", "police": "police", "clergy": "clergy"}  # fmt: skip
_ES_ENDS = ("s", "x", "z", "ch", "sh")


def english_plural(value: object) -> str:
    """The plural of an English noun phrase named in data ("Diet member",
    "Embassy", "Ministry", "NGO"), for a count past one: its last word made
    plural (diet members, embassies, churches, NGOs, people). A phrase of one
    capitalised word is a common noun set as a heading ("Embassy") and goes
    lower case in a sentence ("embassies"); one of several words keeps its
    capitals, which may name something ("Diet members", "UN agencies"). A
    phrase that does not end in a letter is left as it is."""
    text = str(value).strip()
    head, _, last = text.rpartition(" ")
    if not last or not last[-1].isalpha() or not last.isascii():
        return text
    lower = last.lower()
    if last.isupper() and len(last) > 1:
        plural = f"{last}s"  # NGO, NGOs
    elif lower in _IRREGULAR or any(lower.endswith(w) for w in ("woman", "person")):
        key = next(w for w in ("woman", "person", lower) if lower.endswith(w))
        word = _IRREGULAR.get(key, lower)
        plural = last[: len(last) - len(key)] + (word if last[-len(key) :].islower() else
                                                 word.capitalize())  # fmt: skip
    elif lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        plural = last[:-1] + "ies"
    elif lower.endswith(_ES_ENDS):
        plural = last + "es"
    else:
        plural = last + "s"
    return english_noun(f"{head} {plural}" if head else plural)


def english_noun(value: object) -> str:
    """A noun named in data, as a sentence sets it: one capitalised word
    ("Embassy") in lower case, anything else (several words, an acronym, a
    word with capitals inside) as written."""
    text = str(value).strip()
    if " " not in text and text[:1].isupper() and text[1:].islower() and text.isascii():
        return text.lower()
    return text


_SPELT = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def english_spelt(value: object) -> str:
    """A count in running text as English style guides set it: one to nine
    in words ("two coalitions", "five smaller items"; review r36), any
    other number as given (its digits, already formatted: "12", "1,200")."""
    text = str(value).strip()
    return _SPELT[int(text) - 1] if text.isdigit() and 1 <= int(text) <= 9 else text


COUNTERS = {"つ": japanese_tsu}
# Filters of English packs: ``{name|plural}``, ``{name|noun}``, ``{count|spelt}``.
ENGLISH = {"plural": english_plural, "noun": english_noun, "spelt": english_spelt}


def is_filter(name: str) -> bool:
    """Whether ``{value|name}`` names grammar reportgen knows."""
    return name in COUNTERS or name in ENGLISH or is_particle(name)


def apply(value: object, name: str) -> str:
    """``value`` followed by grammar ``name``: a Korean particle (``과``,
    ``이/가``, ``으로``, ``과의``) or a Japanese counter (``つ``); or, for
    ``plural``, the English plural of ``value`` (``english_plural``)."""
    if name in ENGLISH:
        return ENGLISH[name](value)
    if name in COUNTERS:
        return COUNTERS[name](value)
    return with_particle(str(value), name)
