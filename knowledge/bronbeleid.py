"""Source policy: every legal fact needs an official source (issue #17).

The official domains are data (``schema/officiele_bronnen.yaml``). A fact is a record's
``bron_url``, a condition, an amount, a legal basis or a frequently asked question. The known
violations that remain are listed in ``bronbeleid_baseline.yaml``: that list may only shrink. A
violation that is not in it stops ``kb validate``; one that was fixed must be taken out of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from knowledge import yamlfile

POLICY_FILE = Path(__file__).resolve().parent / "schema" / "officiele_bronnen.yaml"
BASELINE_FILE = Path(__file__).resolve().parent / "bronbeleid_baseline.yaml"

#: A baseline key: the record ("regelingen/bijstand") and the unofficial URL it cites.
Key = tuple[str, str]


@dataclass(frozen=True)
class Policy:
    """Domains that are official everywhere, and per gemeente."""

    landelijk: tuple[str, ...]
    gemeenten: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Violation:
    """A fact whose source is not official: which record, which field, which URL."""

    record: str
    field: str
    url: str

    @property
    def key(self) -> Key:
        return (self.record, self.url)


def host(url: str) -> str:
    """'https://www.Amsterdam.nl/x' -> 'amsterdam.nl' (no scheme, port or leading www.)."""
    h = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).split("/")[0].split("?")[0]
    h = h.split("@")[-1].split(":")[0].lower()
    return h[4:] if h.startswith("www.") else h


def on_domain(url: str, domains: list[str] | tuple[str, ...]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one."""
    h = host(url)
    return any(h == d or h.endswith("." + d) for d in domains)


@cache
def load_policy(path: Path = POLICY_FILE) -> Policy:
    """Read the official domains from the policy file."""
    data = yamlfile.read(path) or {}
    landelijk = tuple(str(d).lower() for d in (data.get("landelijk") or []))
    landelijk += tuple(str(d).lower() for d in (data.get("uitvoerders") or []))
    gemeenten = {
        str(g): tuple(str(d).lower() for d in ds) for g, ds in (data.get("gemeenten") or {}).items()
    }
    return Policy(landelijk, gemeenten)


def gemeente_domains(gid: str, gemeenten: Mapping[str, dict[str, Any]]) -> list[str]:
    """The domains of one gemeente: from the policy file and the gemeente's own website."""
    out = list(load_policy().gemeenten.get(gid, ()))
    site = (gemeenten.get(gid) or {}).get("website")
    if site:
        out.append(host(site))
    return out


def allowed_domains(
    kind: str,
    data: dict[str, Any],
    gemeenten: Mapping[str, dict[str, Any]],
    organisaties: Mapping[str, dict[str, Any]],
    question: bool = False,
) -> list[str]:
    """Every domain that is an official source for this record (for one of its questions when
    ``question``: a question about a national rule may give the local next step, so the domains
    of the gemeenten the content serves count there, never those of another gemeente)."""
    domains = list(load_policy().landelijk)
    if kind == "regeling":
        if data.get("gemeente"):
            domains += gemeente_domains(data["gemeente"], gemeenten)
        elif question:
            for gid in sorted(gemeenten):
                domains += gemeente_domains(gid, gemeenten)
        executor = organisaties.get(data.get("uitvoerder_organisatie") or "") or {}
        if executor.get("website"):
            domains.append(host(executor["website"]))
    elif kind == "organisatie":
        if data.get("website"):
            domains.append(host(data["website"]))
        served = {(d.get("gebied") or {}).get("gemeente") for d in data.get("diensten") or []}
        for gid in sorted(g for g in served if g):
            domains += gemeente_domains(gid, gemeenten)
    elif kind == "gemeente":
        domains += gemeente_domains(str(data.get("id")), {str(data.get("id")): data})
    return domains


def fact_sources(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, url) for every source of a fact in one record.

    Questions are named by their id, not their position, so adding a question does not move the
    others."""
    if data.get("bron_url"):
        yield "bron_url", str(data["bron_url"])
    for i, v in enumerate(data.get("voorwaarden") or []):
        if isinstance(v, dict) and v.get("bron_url"):
            yield f"voorwaarden.{i}.bron_url", str(v["bron_url"])
    for i, b in enumerate(data.get("bedragen") or []):
        if isinstance(b, dict) and b.get("bron_url"):
            yield f"bedragen.{i}.bron_url", str(b["bron_url"])
    for i, g in enumerate(data.get("wettelijke_grondslag") or []):
        if isinstance(g, dict) and g.get("url"):
            yield f"wettelijke_grondslag.{i}.url", str(g["url"])
    for q in data.get("vragen") or []:
        if isinstance(q, dict) and q.get("bron_url"):
            yield f"vragen.{q.get('id')}.bron_url", str(q["bron_url"])


def violations(
    records: list[tuple[str, str, dict[str, Any]]],
    gemeenten: Mapping[str, dict[str, Any]],
    organisaties: Mapping[str, dict[str, Any]],
) -> list[Violation]:
    """Every fact without an official source. ``records`` holds (folder, kind, data)."""
    out: list[Violation] = []
    for folder, kind, data in records:
        domains = allowed_domains(kind, data, gemeenten, organisaties)
        for_questions = allowed_domains(kind, data, gemeenten, organisaties, question=True)
        record = f"{folder}/{data.get('id')}"
        for f, url in fact_sources(data):
            if not on_domain(url, for_questions if f.startswith("vragen.") else domains):
                out.append(Violation(record, f, url))
    return out


def load_baseline(path: Path = BASELINE_FILE) -> Counter[Key]:
    """Known violations: how many facts of a record may still cite each unofficial URL (the file
    lists a URL once for every fact that cites it)."""
    data = yamlfile.read(path) if path.exists() else None
    out: Counter[Key] = Counter()
    for record, urls in (data or {}).items():
        for url in urls or []:
            out[(str(record), str(url))] += 1
    return out


def split(
    found: list[Violation], baseline: Counter[Key]
) -> tuple[list[Violation], list[Violation], Counter[Key]]:
    """(new, known, fixed): new violations break the build, known ones are in the baseline, and
    ``fixed`` counts baseline entries that no longer occur (the baseline must shrink by them)."""
    budget = Counter(baseline)
    new: list[Violation] = []
    known: list[Violation] = []
    for v in found:
        if budget[v.key] > 0:
            budget[v.key] -= 1
            known.append(v)
        else:
            new.append(v)
    fixed = Counter({k: n for k, n in budget.items() if n > 0})
    return new, known, fixed


def baseline_text(found: list[Violation]) -> str:
    """The baseline file for these violations: record -> one line per fact that cites the URL."""
    per_record: dict[str, list[str]] = {}
    for v in found:
        per_record.setdefault(v.record, []).append(v.url)
    head = (
        "# Known facts whose source is not official (issue #17). This list may only shrink:\n"
        "# `kb validate` fails on a violation that is not listed here; when you fix one, take its\n"
        "# line out (`kb validate --baseline-bijwerken`). One line per fact that cites the URL.\n"
    )
    body = {r: sorted(urls) for r, urls in sorted(per_record.items())}
    if not body:
        return head + "{}\n"
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000)
