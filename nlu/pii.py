"""Find and mask personal data residents type: BSN (11-proef), IBAN (mod-97), phone, e-mail,
postcode with house number, street address, a name after "mijn naam is / ik heet", a date of
birth and a secret after "wachtwoord/pincode/code is".

Used before anything is stored or logged, and when showing transcripts to staff. Masking keeps
the kind of data visible ("[BSN]") so a conversation still reads naturally.
"""

from __future__ import annotations

import re

# Linear time by construction: a match may only start where a run of address characters starts
# (the lookbehind), and every part is bounded, so a long run without "@" is tried once, not once
# per character (80 KB of "aaaa..." took 20 s with the unbounded pattern).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}"
)
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,30}\b")
_DIGITS9 = re.compile(r"(?<![\d.,])(\d[ .-]?){8}\d(?!\d|[,.]\d)")
# 0800 and 0900 numbers are helplines and companies, never a person's own number: they stay
# readable ("bel 0800-0113 (24/7)" was masked in the transcripts staff read).
_SERVICE = r"(?!0[89]00)"
_PHONE = re.compile(
    rf"(?<![\w+]){_SERVICE}(?:\+31[ -]?(?:\(0\))?|0031[ -]?|0)(?:[ -]?\d){{9}}(?!\d)"
)
# Other ways people write a Dutch number: 06.12.34.56.78, (06) 12345678, (020) 123 45 67.
_PHONE_OTHER = re.compile(
    rf"(?<![\w+]){_SERVICE}(?:\(0\d{{1,3}}\)|0\d)(?:[ .()-]{{0,2}}\d){{8,9}}(?!\d)"
)
# Every pattern below is bounded: linear time on any input (issue #19 item 2).
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}[ ]?(?!(?:en|de|in|op|te|is|al|na|om|of|ik|je|ze|we|zo|nu|er|eu|ct|pm|am|kg|km|cm|mm|jr)\b)"
    r"[A-Za-z]{2}\b(?:[ ,]{1,2}\d{1,5}(?:[ -]?[A-Za-z]\b)?)?"
)
_STREET = re.compile(
    r"\b[A-Za-z][A-Za-z'-]{1,40}(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|dreef|"
    r"steeg|park|plantsoen|markt|baan|dam|kwartier|erf|veld|burgwal)[ ]{1,3}\d{1,5}(?:[ -]?[A-Za-z]\b)?",
    re.IGNORECASE,
)
# A name after a self-introduction: "mijn naam is Fatima el Amrani", "ik heet jan".
_NAME = re.compile(
    r"\b((?i:mijn naam is|ik heet|my name is|naam:)[ ]{1,3})"
    r"([^\W\d_][\w'-]{1,30}(?:[ ]{1,2}(?:(?:van|de|der|den|ter|el|al|ten|von)[ ]{1,2})?"
    r"[A-Z][\w'-]{1,30}){0,3})"
)
_BIRTH = re.compile(
    r"\b((?:geboren op|geboortedatum|geb\.|born on|date of birth)[ :]{0,3})"
    r"(\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}|\d{1,2} [a-z]{3,10} \d{4})",
    re.IGNORECASE,
)
SECRET = re.compile(
    r"\b((?:wachtwoord|password|pincode|pin|inlogcode|toegangscode|digid code|sms code|code)"
    r"(?: van (?:mijn )?\w{2,20})?[ ]{0,2}(?:is|=|:)[ ]{0,3})"
    r"(?!(?:geblokkeerd|vergeten|kwijt|fout|verkeerd|verlopen|niet|nog|gewijzigd|veranderd|nodig|"
    r"al|ook|dan|wel|te|een|mijn|de|het)\b)(\S{3,64})",
    re.IGNORECASE,
)


# Cheap scans first: a pattern that cannot match is not run (each full pattern costs 10-100 ms
# on a megabyte; most messages have no "@", no digits and no self-introduction).
_NAME_CUES = ("mijn naam is", "ik heet", "my name is", "naam:")
_SECRET_CUES = ("wachtwoord", "password", "pin", "code")


_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    """Any digit the patterns' ``\\d`` would match: substring scans for an ASCII text (far
    faster than a regex over a long text), the regex for other scripts (Arabic-Indic digits)."""
    if text.isascii():
        return any(d in text for d in "0123456789")
    return _DIGIT.search(text) is not None


def _has_cue(low: str, cues: tuple[str, ...]) -> bool:
    """Any of ``cues`` in the lower-cased text."""
    return any(cue in low for cue in cues)


def bsn_valid(digits: str) -> bool:
    """The Dutch 11-proef for a 9-digit BSN."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=False)) - int(
        digits[8]
    )
    return total % 11 == 0


def iban_valid(candidate: str) -> bool:
    """ISO 13616 mod-97 check."""
    s = re.sub(r"\s", "", candidate).upper()
    if not (15 <= len(s) <= 34) or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    try:
        number = int("".join(str(int(ch, 36)) for ch in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def _iban_label(match: re.Match) -> str:
    """'[IBAN]' for the longest valid IBAN at the start of the match: the pattern also eats the
    words after it ("NL91ABNA0417164300 mail"), so shorten at spaces until the check passes."""
    found = candidate = match.group(0)
    while not iban_valid(candidate):
        cut = candidate.rfind(" ")
        if cut < 0:
            return found
        candidate = candidate[:cut]
    return "[IBAN]" + found[len(candidate) :]


def mask_identity(text: str, birth: bool = True) -> str:
    """Names, addresses, postcodes, dates of birth and secrets (not the numbers)."""
    out, low = text, text.lower()
    if _has_cue(low, _SECRET_CUES):
        out = SECRET.sub(lambda m: m.group(1) + "[WACHTWOORD]", out)
    if _has_cue(low, _NAME_CUES):
        out = _NAME.sub(lambda m: m.group(1) + "[NAAM]", out)
    if not _has_digit(out):
        return out  # a date of birth, a street address and a postcode all have digits
    if birth:
        out = _BIRTH.sub(lambda m: m.group(1) + "[GEBOORTEDATUM]", out)
    out = _STREET.sub("[ADRES]", out)
    return _POSTCODE.sub("[ADRES]", out)


#: Ten times the longest text any entrance accepts (messages 2,000 characters, staff replies
#: 4,000, metadata 2 KB). A longer text is noise or an attack, never a resident's message.
LONGEST = 20_000


def _cut(text: str) -> str:
    """The first :data:`LONGEST` characters and a note of how many were left out (issue #19
    item 2): nothing stores or logs a megabyte, and masking stays linear and fast (the fine
    patterns took ~300 ms on a megabyte of digit groups, ~1.7 s on 'NL91 ' runs)."""
    left_out = len(text) - LONGEST
    head = text[:LONGEST]
    cut = head.rfind(" ", LONGEST - 200)  # not in the middle of a number or an address
    if cut > 0:
        left_out += LONGEST - cut
        head = head[:cut]
    return f"{head} [... {left_out} tekens niet bewaard]"


def mask(text: str, birth: bool = True) -> str:
    """Replace BSN, IBAN, phone numbers, e-mail addresses, names, addresses, dates of birth
    and secrets with a label. ``birth=False`` keeps a date of birth (see channels.intake).
    A text longer than :data:`LONGEST` is cut first (see :func:`_cut`)."""
    if not text:
        return text
    if len(text) > LONGEST:
        text = _cut(text)
    out = _EMAIL.sub("[E-MAIL]", text) if "@" in text else text
    out = mask_identity(out, birth)
    if not _has_digit(out):
        return out  # IBAN, phone numbers and BSN all have digits
    out = _IBAN.sub(_iban_label, out)
    out = _PHONE.sub("[TELEFOON]", out)
    out = _PHONE_OTHER.sub("[TELEFOON]", out)
    out = _DIGITS9.sub(
        lambda m: "[BSN]" if bsn_valid(re.sub(r"\D", "", m.group(0))) else m.group(0), out
    )
    return out


def shares_secret(text: str) -> bool:
    """True when the person typed a password, PIN or code: they are warned never to do that."""
    return bool(SECRET.search(text or ""))
