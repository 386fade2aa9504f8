"""``kb`` command: validate, load, search and count the knowledge base."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import bronbeleid, loader
from knowledge.content import (
    STALE_AFTER_DAYS,
    ContentError,
    ContentSet,
    card_english_coverage,
    english_coverage,
    read_content,
)
from knowledge.db import get_engine, private_files
from knowledge.models import Organization, Regeling, Service
from knowledge.service import KnowledgeService


def _roots(args: argparse.Namespace) -> list[Path] | None:
    return [Path(p) for p in args.content] if args.content else None


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        cs = read_content(_roots(args))
    except ContentError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"{len(exc.problems)} fout(en): niets geladen.", file=sys.stderr)
        return 1
    for w in cs.warnings:
        print(w)
    if cs.source_warnings:
        print(
            f"Let op: {len(cs.source_warnings)} antwoorden hebben alleen een homepage als bron "
            "(python -m knowledge validate --bronnen toont ze)."
        )
        if getattr(args, "bronnen", False):
            for w in cs.source_warnings:
                print(w)
    report_source_policy(cs, list_all=getattr(args, "bronbeleid", False))
    with_en, all_vragen = english_coverage(cs)
    print(f"Engels: {with_en} van {all_vragen} vragen hebben een Engels antwoord (antwoord_en).")
    reg_en, regs, svc_en, svcs = card_english_coverage(cs)
    print(
        f"Engels: {reg_en} van {regs} regelingen hebben een Engelse samenvatting (samenvatting_en), "
        f"{svc_en} van {svcs} diensten een Engelse beschrijving (beschrijving_en)."
    )
    if getattr(args, "baseline_bijwerken", False) and not args.content:
        bronbeleid.BASELINE_FILE.write_text(
            bronbeleid.baseline_text(cs.bron_known), encoding="utf8"
        )
        print(f"Baseline bijgewerkt: {len(cs.bron_known)} bekende overtredingen.")
    print(
        f"OK: {len(cs.regelingen)} regelingen, {len(cs.organisaties)} organisaties, {len(cs.gemeenten)} gemeenten."
    )
    return 0


def report_source_policy(cs: ContentSet, list_all: bool = False) -> None:
    """Print how many facts still have an unofficial source (the baseline) and which baseline
    entries were fixed and must come out of it."""
    print(
        f"Bronbeleid: {len(cs.bron_known)} feiten hebben nog geen officiële bron "
        f"(bekend in {bronbeleid.BASELINE_FILE.name}; --bronbeleid toont ze), 0 nieuwe."
    )
    if list_all:
        for v in cs.bron_known:
            print(f"  {v.record}: {v.field}: {v.url}")
    fixed = sum(cs.bron_fixed.values())
    if fixed:
        print(
            f"Let op: {fixed} regels in {bronbeleid.BASELINE_FILE.name} zijn opgelost; haal ze "
            "weg (kb validate --baseline-bijwerken)."
        )
        for (record, url), n in sorted(cs.bron_fixed.items()):
            print(f"  {record}: {url} ({n}x)")


def cmd_load(args: argparse.Namespace) -> int:
    try:
        res = loader.load(_roots(args), force=args.force)
    except ContentError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("Database niet gewijzigd.", file=sys.stderr)
        return 1
    state = "geladen" if res.changed else "al actueel"
    print(
        f"Kennisbank {state}: {res.regelingen} regelingen, {res.organisaties} organisaties, {res.diensten} diensten."
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    kb = KnowledgeService()
    hits = kb.search(
        args.query,
        kind=args.kind,
        gemeente=args.gemeente,
        onderwerp=args.onderwerp,
        doelgroep=args.doelgroep,
        stadsdeel=args.stadsdeel,
        limit=args.limit,
    )
    if not hits:
        print("Niets gevonden.")
        return 0
    for h in hits:
        print(f"{h.score:7.2f}  {h.kind:8s} {h.ref:40s} {h.naam}")
        print(f"         waarom: {'; '.join(h.reasons)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    engine = get_engine()
    loader.create_schema(engine)
    cutoff = dt.date.today() - dt.timedelta(days=STALE_AFTER_DAYS)
    with Session(engine, future=True) as s:
        n_reg = s.execute(select(func.count()).select_from(Regeling)).scalar_one()
        n_local = s.execute(
            select(func.count()).select_from(Regeling).where(Regeling.gemeente.is_not(None))
        ).scalar_one()
        n_org = s.execute(select(func.count()).select_from(Organization)).scalar_one()
        n_svc = s.execute(select(func.count()).select_from(Service)).scalar_one()
        stale = [
            r
            for (r,) in s.execute(select(Regeling.id).where(Regeling.laatst_gecontroleerd < cutoff))
        ]
        stale += [
            o
            for (o,) in s.execute(
                select(Organization.id).where(Organization.laatst_gecontroleerd < cutoff)
            )
        ]
    print(f"regelingen: {n_reg} ({n_reg - n_local} landelijk, {n_local} gemeentelijk)")
    print(f"organisaties: {n_org}, diensten: {n_svc}")
    print(
        f"niet gecontroleerd in 12 maanden: {len(stale)}"
        + (f" ({', '.join(stale)})" if stale else "")
    )
    return 0


QUERIES = [
    "zorgtoeslag",
    "huursubsidie",
    "uitkering",
    "zorgtoelsag",
    "ik heb schulden",
    "voedselbank",
    "wat verandert er als ik 18 word",
    "stadspas",
    "kan ik mijn gemeentebelasting kwijtschelden",
    "zorgverzekeringspremie",
    "deurwaarder",
    "huur achterstand",
    "kinderbijslag stopt",
    "bijzondere bijstand",
]


def cmd_bench(args: argparse.Namespace) -> int:
    kb = KnowledgeService()
    kb.search("warm-up")
    times = []
    for _ in range(args.rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            kb.search(q, gemeente="amsterdam")
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"kb search: {len(times)} queries, p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
    )
    return 0


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(
        prog="kb", description="Kennisbank: regelingen en sociale kaart"
    )
    parser.add_argument(
        "--content", action="append", help="extra content-map (standaard knowledge/content)"
    )
    sub = parser.add_subparsers(dest="kb_cmd", required=True)
    p = sub.add_parser("validate", help="controleer alle content")
    p.add_argument("--bronnen", action="store_true", help="toon antwoorden met een zwakke bron")
    p.add_argument(
        "--bronbeleid",
        action="store_true",
        help="toon de feiten die nog geen officiële bron hebben",
    )
    p.add_argument(
        "--baseline-bijwerken",
        action="store_true",
        help="schrijf de baseline opnieuw zonder de opgeloste overtredingen (kan alleen krimpen)",
    )
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("load", help="laad content in de database")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_load)
    p = sub.add_parser("search", help="zoek in regelingen en sociale kaart")
    p.add_argument("query")
    p.add_argument("--kind", choices=["regeling", "dienst"])
    p.add_argument("--gemeente", default="amsterdam")
    p.add_argument("--onderwerp")
    p.add_argument("--doelgroep")
    p.add_argument("--stadsdeel")
    p.add_argument("--limit", type=int, default=5)
    p.set_defaults(func=cmd_search)
    sub.add_parser("stats", help="aantallen en verouderde entries").set_defaults(func=cmd_stats)
    p = sub.add_parser("bench", help="zoeklatentie p50/p95")
    p.add_argument("--rounds", type=int, default=20)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    private_files()  # the database is created readable by its owner only
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
