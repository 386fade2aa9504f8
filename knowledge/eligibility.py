"""The regelcheck: an indication of which regulations someone probably qualifies for, with reasons.

It reads the machine-checkable conditions of each regulation (``veld``/``operator``/``waarde`` or
``bedrag_cent`` with the year) and compares them with what the person told us. Anything we do
not know stays open and is said so. This is never a decision: the body that decides checks much
more (partner income, kostendelers, what counts as vermogen).

Which regulations take part, and income limits that the content states as a percentage of the
bijstandsnorm, are data in ``bot/regelcheck.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from knowledge import yamlfile
from knowledge.answers import euro
from knowledge.content import read_content
from knowledge.views import Condition, RegelingView

CONFIG = Path(__file__).resolve().parent.parent / "bot" / "regelcheck.yml"
# The reason a local regulation fits: only where someone lives, nothing about their situation.
PLACE_REASON = "je woont in {}"
Huishouden = Literal["alleenstaand", "alleenstaande_ouder", "partners", "partners_kinderen"]


@dataclass(frozen=True)
class Situation:
    """What the person told us; ``None`` means 'weet ik niet' or not asked."""

    leeftijd: int | None = None
    huishouden: str | None = None  # alleenstaand, alleenstaande_ouder, partners, partners_kinderen
    inkomen_maand: int | None = None  # eurocent, netto per month, household
    huur_maand: int | None = None  # eurocent; 0 = no rent (own home, living with parents)
    vermogen: int | None = None  # eurocent
    gemeente: str | None = None

    @property
    def kinderen(self) -> bool | None:
        if self.huishouden is None:
            return None
        return self.huishouden in ("alleenstaande_ouder", "partners_kinderen")

    @property
    def huurder(self) -> bool | None:
        return None if self.huur_maand is None else self.huur_maand > 0

    @property
    def household_key(self) -> str | None:
        """The household as the content names it (partners with children count as partners)."""
        if self.huishouden == "partners_kinderen":
            return "partners"
        return self.huishouden


@dataclass
class Indication:
    """One regulation's outcome: 'waarschijnlijk' (all checks pass) or 'misschien' (some open)."""

    regeling: RegelingView
    status: str
    redenen: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    jaren: set[int] = field(default_factory=set)


@lru_cache(maxsize=1)
def config() -> dict:
    return yamlfile.read(CONFIG)


@lru_cache(maxsize=32)
def _variants(gemeente: str | None) -> dict[str, str]:
    return {
        r["lokale_variant_van"]: rid
        for rid, r in read_content().regelingen.items()
        if r.get("lokale_variant_van") and r.get("gemeente") == gemeente
    }


def candidate_ids(gemeente: str | None) -> list[str]:
    """The regulations the regelcheck considers in this gemeente.

    A gemeente's own variant (``lokale_variant_van`` in its content) replaces the national one.
    """
    cfg = config()
    variants = _variants(gemeente)
    ids = [variants.get(rid, rid) for rid in cfg["landelijk"]]
    local = (cfg.get("gemeenten") or {}).get(gemeente or "", {})
    return ids + [rid for rid in local.get("regelingen") or [] if rid not in ids]


def _applies_to_household(c: Condition, s: Situation) -> bool | None:
    """True/False when the condition's household matches the person's; None when unknown."""
    if c.huishouden in (None, "alle"):
        return True
    if s.household_key is None:
        return None
    return c.huishouden == s.household_key


def _compare(value: float, operator: str | None, limit: float) -> bool:
    if operator == "min":
        return value >= limit
    if operator == "max":
        return value <= limit
    return value == limit


def _check(c: Condition, s: Situation) -> tuple[bool | None, str]:
    """(passes?, reason) for one machine-checkable condition; None when we cannot tell."""
    veld = c.veld
    if veld == "gemeente":
        if s.gemeente is None:
            return None, c.tekst
        return s.gemeente == c.waarde, PLACE_REASON.format(str(c.waarde).capitalize())
    if veld == "leeftijd":
        if s.leeftijd is None:
            return None, c.tekst
        limit = float(c.waarde)  # type: ignore[arg-type]
        word = "minstens" if c.operator == "min" else "hoogstens"
        return _compare(
            s.leeftijd, c.operator, limit
        ), f"je bent {s.leeftijd} ({word} {int(limit)})"
    if veld == "kinderen":
        if s.kinderen is None:
            return None, c.tekst
        return s.kinderen == bool(c.waarde), "je hebt kinderen" if s.kinderen else "geen kinderen"
    if veld == "huurder":
        if s.huurder is None:
            return None, c.tekst
        return s.huurder == bool(c.waarde), "je huurt" if s.huurder else "je betaalt geen huur"
    if veld in ("inkomen_maand", "inkomen_jaar", "vermogen"):
        own = s.vermogen if veld == "vermogen" else s.inkomen_maand
        if own is None or c.bedrag_cent is None:
            return None, c.tekst
        if s.leeftijd is not None and s.leeftijd < 21 and "21 tot" in c.tekst:
            return None, c.tekst  # the norm for 18-20 is different
        value = own * 12 if veld == "inkomen_jaar" else own
        what = {"inkomen_maand": "je inkomen", "inkomen_jaar": "je inkomen per jaar (ongeveer)"}
        label = what.get(veld, "je vermogen")
        ok = _compare(value, c.operator, c.bedrag_cent)
        sign = "onder" if ok else "boven"
        return (
            ok,
            f"{label} ({euro(value)}) is {sign} de grens van {euro(c.bedrag_cent)} ({c.jaar})",
        )
    return None, c.tekst


def _norm_limit(pct: int, s: Situation, norm: RegelingView | None) -> tuple[int, int] | None:
    """(limit in cent, year) as ``pct`` % of the bijstandsnorm for this household."""
    if norm is None or s.household_key is None:
        return None
    key = "alleenstaand" if s.household_key == "alleenstaande_ouder" else s.household_key
    for a in norm.bedragen:
        if a.per == "maand" and a.huishouden == key and "21 jaar" in a.omschrijving:
            return a.bedrag_cent * pct // 100, a.jaar
    return None


def assess(reg: RegelingView, s: Situation, norm: RegelingView | None = None) -> Indication | None:
    """The indication for one regulation, or None when a known fact rules it out."""
    ind = Indication(reg, "waarschijnlijk")
    checked_kinds: set[str] = set()
    skipped: dict[str, str] = {}
    applied: set[str] = set()
    for c in reg.voorwaarden:
        if not c.veld:
            continue
        applies = _applies_to_household(c, s)
        if applies is False:
            skipped.setdefault(c.veld, c.tekst)
            continue
        applied.add(c.veld)
        if applies is None:
            ind.open.append(c.tekst)
            continue
        ok, reason = _check(c, s)
        if ok is False:
            return None
        if ok is None:
            ind.open.append(reason)
        else:
            ind.redenen.append(reason)
            checked_kinds.add(c.soort)
            if c.jaar:
                ind.jaren.add(c.jaar)
    if reg.id in (config().get("bijstandsniveau") or []) and s.inkomen_maand is not None:
        at_norm, wide = _norm_limit(100, s, norm), _norm_limit(130, s, norm)
        if at_norm and wide:
            if s.inkomen_maand > wide[0]:
                return None
            if s.inkomen_maand <= at_norm[0]:
                ind.redenen.append(
                    f"je inkomen ({euro(s.inkomen_maand)}) is niet hoger dan de bijstandsnorm "
                    f"({euro(at_norm[0])}, {at_norm[1]})"
                )
                ind.jaren.add(at_norm[1])
                checked_kinds.add("inkomen")
            else:
                ind.open.append("je inkomen is iets hoger dan de bijstandsnorm: vraag het na")
                checked_kinds.add("inkomen")
    pct = (config().get("normpercentage") or {}).get(reg.id)
    if pct and "inkomen" not in checked_kinds:
        limit = _norm_limit(int(pct), s, norm)
        if limit and s.inkomen_maand is not None:
            cents, year = limit
            if s.inkomen_maand > cents:
                return None
            ind.redenen.append(
                f"je inkomen ({euro(s.inkomen_maand)}) is onder ongeveer {euro(cents)}: "
                f"{pct}% van de bijstandsnorm ({year})"
            )
            ind.jaren.add(year)
            checked_kinds.add("inkomen")
    for veld, tekst in skipped.items():
        if veld not in applied:
            ind.open.append(f"voor jouw huishouden kennen we de grens niet ({tekst})")
    for c in reg.voorwaarden:
        open_kinds = ("inkomen", "vermogen", "huur", "kinderen", "leeftijd")
        if not c.veld and c.soort in open_kinds and c.soort not in checked_kinds:
            ind.open.append(c.tekst)
    if ind.open or not ind.redenen:
        ind.status = "misschien"
    return ind


def _aow_route(out: list[Indication], s: Situation) -> list[Indication]:
    """Around the AOW age: below it no AIO; from the age someone may have reached it, bijstand
    stays open with the reason and the AIO goes first (``aow`` in bot/regelcheck.yml)."""
    aow = config().get("aow") or {}
    tot, vanaf = set(aow.get("tot_aow") or []), set(aow.get("vanaf_aow") or [])
    if s.leeftijd is None:
        return out
    if s.leeftijd < int(aow.get("vanaf_mogelijk", 999)):
        return [i for i in out if i.regeling.id not in vanaf]
    for ind in out:
        if ind.regeling.id in tot:
            ind.open.insert(0, aow["reden"])
            ind.status = "misschien"
        elif ind.regeling.id in vanaf and aow.get("reden_aio"):
            ind.redenen.insert(0, aow["reden_aio"].format(leeftijd=s.leeftijd))
    return sorted(out, key=lambda i: i.regeling.id not in vanaf)


def past_aow_route(ind: Indication) -> bool:
    """True for bijstand or the IIT of someone who may have reached the AOW age: it is open only
    with the AOW caveat, so a short overview leaves it out and names the AIO instead."""
    reden = (config().get("aow") or {}).get("reden")
    return bool(reden) and reden in ind.open


def regelcheck(
    regelingen: list[RegelingView], s: Situation, norm: RegelingView | None = None
) -> list[Indication]:
    """Indications for the given regulations, 'waarschijnlijk' first; ruled-out ones dropped."""
    out = [ind for reg in regelingen if (ind := assess(reg, s, norm))]
    out = sorted(out, key=lambda i: (i.status != "waarschijnlijk", -len(i.redenen)))
    return _aow_route(out, s)
