"""Find and mask personal data residents type: BSN (11-proef), IBAN (mod-97), phone, e-mail.

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
_PHONE = re.compile(r"(?<![\w+])(?:\+31[ -]?(?:\(0\))?|0031[ -]?|0)(?:[ -]?\d){9}(?!\d)")


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


def mask(text: str) -> str:
    """Replace BSN, IBAN, phone numbers and e-mail addresses with a label."""
    if not text:
        return text
    out = _EMAIL.sub("[E-MAIL]", text)
    out = _IBAN.sub(_iban_label, out)
    out = _PHONE.sub("[TELEFOON]", out)
    out = _DIGITS9.sub(
        lambda m: "[BSN]" if bsn_valid(re.sub(r"\D", "", m.group(0))) else m.group(0), out
    )
    return out


def contains_pii(text: str) -> bool:
    return mask(text) != text
