"""Read and validate the YAML content in ``knowledge/content``.

Validation is strict because residents act on what the assistant says: schema, a source URL and
a date on every entry, Dutch phone formats, references between entries, and entries that were not
checked for 12 months are flagged. Every problem names the file, the field and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from knowledge import bronbeleid, yamlfile

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
STALE_AFTER_DAYS = 365

KINDS = {
    "regelingen": "regeling",
    "sociale_kaart": "organisatie",
    "gemeenten": "gemeente",
}

# Dutch numbers as residents and sources write them: 112, 113, 14 020, 0800-8115, 020-5525000,
# (020) 252 6030, 0900-8020, 06-12345678, +31 20 ...
_PHONE_RE = re.compile(
    r"^(?:11[0-9]|14 ?0\d{2,3}|0[89]00[- ]?\d{4}(?:[ ]?\d{3})?|\(?0\d{1,3}\)?[- ]?\d{2,4}[ -]?\d{2,4}[ -]?\d{0,4}|\+31[ 0-9-]{9,14})$"
)


# An amount in an answer (€ 1.401,50, 1401 euro) needs the year it is for.
_AMOUNT_RE = re.compile(r"€\s?\d|\d\s?(?:euro|eur)\b", re.I)
# Phone-like sequences in an answer; each must be a number the social map already holds.
_ANSWER_PHONE_RE = re.compile(
    r"(?<![\d.,:])(?:0\d{1,3}(?:[- ]?\d{2,4}){1,3}|14 ?0\d{2,3}|11[23])(?!\d|[.,:]\d)"
)


# Facts an English answer must copy from the Dutch one: web addresses, and every number as it is
# written (amounts "€ 1.401,50", percentages, years, phone numbers in their parts).
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s)]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|eu|info)\b(?:/[^\s)]*)?",
    re.I,
)
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def answer_facts(text: str) -> list[str]:
    """The URLs and numbers in an answer, numbers as written; a URL without its scheme, "www."
    and closing punctuation ("https://www.toeslagen.nl/" is "toeslagen.nl")."""
    urls = [
        re.sub(r"^(?:https?://)?(?:www\.)?", "", u.rstrip(".,;:!?").lower()).rstrip("/")
        for u in _URL_RE.findall(text)
    ]
    rest = _URL_RE.sub(" ", text)
    return urls + _NUMBER_RE.findall(rest)


def _english_way(number: str) -> str:
    """'1,401.50' written the Dutch way ('1.401,50'): to hint at the fix."""
    return number.translate(str.maketrans(".,", ",."))


def english_problems(antwoord: str, antwoord_en: str) -> tuple[list[str], list[str]]:
    """(errors, warnings) for an English answer: a URL or number that the Dutch answer does not
    have is an error (an invented or mistyped fact, or an amount written the English way); a
    fact of the Dutch answer that the English one leaves out is a warning (a dropped condition?)."""
    dutch = answer_facts(antwoord)
    english = answer_facts(antwoord_en)
    errors: list[str] = []
    for fact in dict.fromkeys(english):
        if fact in dutch:
            continue
        if _english_way(fact) in dutch:
            errors.append(
                f"'{fact}' staat niet in het Nederlandse antwoord; schrijf het zoals daar: "
                f"'{_english_way(fact)}'"
            )
        else:
            errors.append(f"'{fact}' staat niet in het Nederlandse antwoord")
    missing = [f for f in dict.fromkeys(dutch) if f not in english]
    warnings = [f"het Nederlandse antwoord noemt ook '{f}'" for f in missing]
    return errors, warnings


def english_coverage(cs: ContentSet) -> tuple[int, int]:
    """(questions with an English answer, all questions)."""
    vragen = [
        q
        for records in (cs.regelingen, cs.organisaties)
        for r in records.values()
        for q in r.get("vragen") or []
    ]
    return sum(1 for q in vragen if q.get("antwoord_en")), len(vragen)


def official_source(url: str, own_site: str | None = None) -> bool:
    """True when ``url`` is on a domain that is official everywhere (``officiele_bronnen.yaml``)
    or on the organisation's own website. Gemeente domains count only for that gemeente's own
    records: :func:`knowledge.bronbeleid.allowed_domains` knows the record."""
    domains = list(bronbeleid.load_policy().landelijk)
    if own_site:
        domains.append(bronbeleid.host(own_site))
    return bronbeleid.on_domain(url, domains)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class ContentError(Exception):
    """Content that must not be loaded; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where and what."""

    file: str
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.file}: {self.field or '(bestand)'}: {self.message}"


@dataclass
class ContentSet:
    """All content, validated, keyed by id."""

    regelingen: dict[str, dict[str, Any]] = field(default_factory=dict)
    organisaties: dict[str, dict[str, Any]] = field(default_factory=dict)
    gemeenten: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    #: Sources that are official but do not show the fact (a homepage): for the content team.
    source_warnings: list[Problem] = field(default_factory=list)
    digest: str = ""
    #: Facts whose source is not official but which the baseline lists (to be replaced).
    bron_known: list[bronbeleid.Violation] = field(default_factory=list)
    #: Baseline entries that no longer occur: take them out of the baseline.
    bron_fixed: Counter[bronbeleid.Key] = field(default_factory=Counter)

    def names(self) -> list[tuple[str, str, str]]:
        """(kind, id, name) for every name and synonym: regeling, organisatie, gemeente, stadsdeel.

        The one list behind the NLU lookup tables and the entity matcher.
        """
        out: list[tuple[str, str, str]] = []
        for kind, records in (("regeling", self.regelingen), ("organisatie", self.organisaties)):
            for rid, r in records.items():
                out += [(kind, rid, n) for n in [r["naam"], *r.get("synoniemen", [])]]
        for gid, g in self.gemeenten.items():
            out += [("gemeente", gid, n) for n in [g["naam"], *g.get("synoniemen", [])]]
            for sd in g.get("stadsdelen", []):
                out += [("stadsdeel", sd["id"], n) for n in [sd["naam"], *sd.get("synoniemen", [])]]
        return out


@cache
def _validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf8"))
    resolver = jsonschema.RefResolver(SCHEMA_DIR.as_uri() + "/", schema)
    return jsonschema.Draft7Validator(schema, resolver=resolver)


def valid_phone(value: str) -> bool:
    """True for a Dutch phone number in a format a resident can dial."""
    return bool(_PHONE_RE.match(value.strip()))


def _path(err: jsonschema.ValidationError) -> str:
    return ".".join(str(p) for p in err.absolute_path)


def _dates_to_str(data: Any) -> Any:
    """YAML turns unquoted dates into date objects; the schema wants ISO strings."""
    if isinstance(data, dict):
        return {k: _dates_to_str(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_to_str(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()[:10]
    return data


def _read(path: Path, rel: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = yamlfile.read(path)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"geen geldige YAML: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "het bestand moet één object (mapping) bevatten"))
        return None
    return _dates_to_str(data)


def _check_record(
    kind: str,
    data: dict[str, Any],
    rel: str,
    stem: str,
    today: dt.date,
    problems: list[Problem],
    warnings: list[Problem],
    source_warnings: list[Problem] | None = None,
) -> None:
    for err in sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path)):
        problems.append(Problem(rel, _path(err), err.message))
    if data.get("id") != stem:
        problems.append(
            Problem(
                rel, "id", f"id '{data.get('id')}' moet gelijk zijn aan de bestandsnaam '{stem}'"
            )
        )
    for key in ("peildatum", "laatst_gecontroleerd", "geldig_vanaf", "geldig_tot"):
        value = data.get(key)
        if isinstance(value, str):
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(rel, key, f"'{value}' is geen bestaande datum"))
                continue
            if key == "laatst_gecontroleerd":
                if parsed > today:
                    problems.append(Problem(rel, key, "ligt in de toekomst"))
                elif (today - parsed).days > STALE_AFTER_DAYS:
                    warnings.append(
                        Problem(
                            rel,
                            key,
                            f"niet gecontroleerd sinds {value} (meer dan 12 maanden)",
                            "warning",
                        )
                    )
    if kind == "organisatie":
        for i, dienst in enumerate(data.get("diensten") or []):
            for j, kanaal in enumerate(dienst.get("kanalen") or []):
                if kanaal.get("soort") == "telefoon" and not valid_phone(
                    str(kanaal.get("waarde", ""))
                ):
                    problems.append(
                        Problem(
                            rel,
                            f"diensten.{i}.kanalen.{j}.waarde",
                            f"'{kanaal.get('waarde')}' is geen Nederlands telefoonnummer",
                        )
                    )
                if kanaal.get("soort") == "web" and not str(kanaal.get("waarde", "")).startswith(
                    ("http://", "https://")
                ):
                    problems.append(
                        Problem(
                            rel,
                            f"diensten.{i}.kanalen.{j}.waarde",
                            "een web-kanaal moet een URL zijn (https://...)",
                        )
                    )
    _check_vragen(data, rel, problems, source_warnings, warnings)
    _check_card_english(data, rel, problems)
    if (
        kind == "regeling"
        and data.get("geldig_tot")
        and data.get("geldig_vanaf")
        and data["geldig_tot"] < data["geldig_vanaf"]
    ):
        problems.append(Problem(rel, "geldig_tot", "ligt voor geldig_vanaf"))


#: The Dutch field of a card and its English version (issue #21).
CARD_ENGLISH = (
    ("samenvatting_b1", "samenvatting_en"),
    ("hoe_aanvragen", "hoe_aanvragen_en"),
    ("volgende_stap", "volgende_stap_en"),
    ("let_op", "let_op_en"),
    ("beschrijving", "beschrijving_en"),
)


def _check_card_english(data: dict[str, Any], rel: str, problems: list[Problem]) -> None:
    """The English version of a regulation's card and of a service's description has no number
    or URL that the Dutch text lacks (:func:`english_problems`): a translation adds no facts."""
    parts = [("", data)] + [
        (f"diensten.{i}.", d)
        for i, d in enumerate(data.get("diensten") or [])
        if isinstance(d, dict)
    ]
    for prefix, part in parts:
        for dutch, english in CARD_ENGLISH:
            if part.get(english) and part.get(dutch):
                errors, _ = english_problems(str(part[dutch]), str(part[english]))
                problems += [Problem(rel, f"{prefix}{english}", e) for e in errors]


def card_english_coverage(cs: ContentSet) -> tuple[int, int, int, int]:
    """(regulations with an English summary, regulations, services with an English description,
    services): what a resident who writes English reads in English on a card."""
    regs = list(cs.regelingen.values())
    services = [d for o in cs.organisaties.values() for d in o.get("diensten") or []]
    return (
        sum(1 for r in regs if r.get("samenvatting_en")),
        len(regs),
        sum(1 for d in services if d.get("beschrijving_en")),
        len(services),
    )


def _check_vragen(
    data: dict[str, Any],
    rel: str,
    problems: list[Problem],
    warnings: list[Problem] | None = None,
    english_warnings: list[Problem] | None = None,
) -> None:
    """Frequently asked questions: unique ids and a year for every amount (the official source is
    checked with every other fact in :func:`_check_sources`). A source that is only a homepage
    does not show the fact: a warning, so the content team finds the page that does. An English
    answer has no number or URL that the Dutch one lacks (:func:`english_problems`)."""
    seen: set[str] = set()
    for i, q in enumerate(data.get("vragen") or []):
        if not isinstance(q, dict):
            continue
        where = f"vragen.{i}"
        if q.get("id") in seen:
            problems.append(Problem(rel, f"{where}.id", f"id '{q.get('id')}' staat er twee keer"))
        seen.add(str(q.get("id")))
        url = str(q.get("bron_url") or "")
        if warnings is not None and url and not re.sub(r"^https?://[^/]+", "", url).strip("/"):
            warnings.append(
                Problem(
                    rel,
                    f"{where}.bron_url",
                    "de bron is alleen een homepage: zoek de pagina die dit feit noemt",
                    "warning",
                )
            )
        if q.get("antwoord_en"):
            errors, missing = english_problems(str(q.get("antwoord") or ""), str(q["antwoord_en"]))
            problems += [Problem(rel, f"{where}.antwoord_en", e) for e in errors]
            if english_warnings is not None:
                english_warnings += [
                    Problem(rel, f"{where}.antwoord_en", m, "warning") for m in missing
                ]
        if _AMOUNT_RE.search(str(q.get("antwoord") or "")) and not q.get("jaar"):
            problems.append(
                Problem(
                    rel, f"{where}.jaar", "het antwoord noemt een bedrag: zet erbij voor welk jaar"
                )
            )


def _check_answer_phones(cs: ContentSet, problems: list[Problem]) -> None:
    """A phone number in an answer must be one the social map holds (never an invented number)."""
    known = {
        _digits(str(k.get("waarde")))
        for org in cs.organisaties.values()
        for d in org.get("diensten") or []
        for k in d.get("kanalen") or []
        if k.get("soort") in ("telefoon", "whatsapp")
    }
    records = [("regelingen", r) for r in cs.regelingen.values()]
    records += [("sociale_kaart", o) for o in cs.organisaties.values()]
    for folder, data in records:
        for i, q in enumerate(data.get("vragen") or []):
            for number in _ANSWER_PHONE_RE.findall(str(q.get("antwoord") or "")):
                digits = _digits(number)
                if len(digits) < 7 and not digits.startswith(("11", "14")):
                    continue  # a time or a fragment, not a number to dial
                if digits not in known:
                    problems.append(
                        Problem(
                            cs.files[f"{folder}:{data.get('id')}"],
                            f"vragen.{i}.antwoord",
                            f"telefoonnummer '{number}' staat niet in de sociale kaart",
                        )
                    )


def _check_sources(
    cs: ContentSet, problems: list[Problem], baseline: Counter[bronbeleid.Key]
) -> None:
    """The source policy: a fact without an official source is an error unless the baseline of
    known violations lists it. Known ones and fixed baseline entries are kept for the report."""
    records = [("regelingen", "regeling", r) for r in cs.regelingen.values()]
    records += [("sociale_kaart", "organisatie", o) for o in cs.organisaties.values()]
    records += [("gemeenten", "gemeente", g) for g in cs.gemeenten.values()]
    found = bronbeleid.violations(records, cs.gemeenten, cs.organisaties)
    new, cs.bron_known, cs.bron_fixed = bronbeleid.split(found, baseline)
    for v in new:
        folder, rid = v.record.split("/", 1)
        problems.append(
            Problem(
                cs.files.get(f"{folder}:{rid}", v.record),
                v.field,
                f"geen officiële bron: {v.url} (welke bronnen officieel zijn: "
                "knowledge/schema/officiele_bronnen.yaml; een andere bron mag alleen ernaast in "
                "bronnen)",
            )
        )


def _check_references(cs: ContentSet, problems: list[Problem]) -> None:
    def rel(kind: str, id_: str) -> str:
        return cs.files[f"{kind}:{id_}"]

    for rid, reg in cs.regelingen.items():
        for i, other in enumerate(reg.get("gerelateerd") or []):
            if other not in cs.regelingen:
                problems.append(
                    Problem(
                        rel("regelingen", rid), f"gerelateerd.{i}", f"onbekende regeling '{other}'"
                    )
                )
            elif other == rid:
                problems.append(
                    Problem(rel("regelingen", rid), f"gerelateerd.{i}", "verwijst naar zichzelf")
                )
        national = reg.get("lokale_variant_van")
        if national and (national not in cs.regelingen or not reg.get("gemeente")):
            problems.append(
                Problem(
                    rel("regelingen", rid),
                    "lokale_variant_van",
                    f"'{national}' is geen bekende regeling, of deze regeling heeft geen gemeente",
                )
            )
        org = reg.get("uitvoerder_organisatie")
        if org and org not in cs.organisaties:
            problems.append(
                Problem(
                    rel("regelingen", rid),
                    "uitvoerder_organisatie",
                    f"onbekende organisatie '{org}'",
                )
            )
        gem = reg.get("gemeente")
        if gem and gem not in cs.gemeenten:
            problems.append(
                Problem(rel("regelingen", rid), "gemeente", f"onbekende gemeente '{gem}'")
            )
    service_ids: dict[str, str] = {}
    for oid, org in cs.organisaties.items():
        for i, dienst in enumerate(org.get("diensten") or []):
            sid = dienst.get("id")
            if sid in service_ids:
                problems.append(
                    Problem(
                        rel("sociale_kaart", oid),
                        f"diensten.{i}.id",
                        f"dienst-id '{sid}' bestaat al in {service_ids[sid]}",
                    )
                )
            service_ids[sid] = oid
            gem = (dienst.get("gebied") or {}).get("gemeente")
            if gem and gem not in cs.gemeenten:
                problems.append(
                    Problem(
                        rel("sociale_kaart", oid),
                        f"diensten.{i}.gebied.gemeente",
                        f"onbekende gemeente '{gem}'",
                    )
                )
            elif gem:
                known = {s["id"] for s in cs.gemeenten[gem].get("stadsdelen") or []}
                for j, sd in enumerate((dienst.get("gebied") or {}).get("stadsdelen") or []):
                    if sd not in known:
                        problems.append(
                            Problem(
                                rel("sociale_kaart", oid),
                                f"diensten.{i}.gebied.stadsdelen.{j}",
                                f"onbekend stadsdeel '{sd}' in {gem}",
                            )
                        )
            for j, reg_id in enumerate(dienst.get("gerelateerde_regelingen") or []):
                if reg_id not in cs.regelingen:
                    problems.append(
                        Problem(
                            rel("sociale_kaart", oid),
                            f"diensten.{i}.gerelateerde_regelingen.{j}",
                            f"onbekende regeling '{reg_id}'",
                        )
                    )
    for gid, gem in cs.gemeenten.items():
        org = gem.get("toegang_organisatie")
        if org and org not in cs.organisaties:
            problems.append(
                Problem(
                    rel("gemeenten", gid), "toegang_organisatie", f"onbekende organisatie '{org}'"
                )
            )


def read_content(
    roots: list[Path] | None = None,
    today: dt.date | None = None,
    baseline: Counter[bronbeleid.Key] | None = None,
) -> ContentSet:
    """Read and validate every YAML file under the content roots (later roots add to earlier).

    Raises :class:`ContentError` listing every problem; warnings (stale entries) are returned.
    ``baseline`` holds the known unofficial sources (default: ``bronbeleid_baseline.yaml``).
    """
    roots = roots or [CONTENT_DIR]
    today = today or dt.date.today()
    cs = ContentSet()
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for root in roots:
        for folder, kind in KINDS.items():
            for path in sorted((root / folder).glob("*.yaml")):
                rel = (
                    str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
                )
                raw = path.read_bytes()
                digest.update(path.name.encode() + b"\0" + raw)
                data = _read(path, rel, problems)
                if data is None:
                    continue
                _check_record(
                    kind, data, rel, path.stem, today, problems, cs.warnings, cs.source_warnings
                )
                target = {
                    "regeling": cs.regelingen,
                    "organisatie": cs.organisaties,
                    "gemeente": cs.gemeenten,
                }[kind]
                key = f"{folder}:{data.get('id')}"
                if data.get("id") in target:
                    problems.append(
                        Problem(rel, "id", f"id '{data.get('id')}' bestaat al in {cs.files[key]}")
                    )
                    continue
                target[str(data.get("id"))] = data
                cs.files[key] = rel
    _check_references(cs, problems)
    _check_answer_phones(cs, problems)
    _check_sources(cs, problems, bronbeleid.load_baseline() if baseline is None else baseline)
    if problems:
        raise ContentError(problems)
    cs.digest = digest.hexdigest()
    return cs
