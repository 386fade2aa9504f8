"""Quality numbers: NLU cross-validation, held-out accuracy, crisis recall and false alarms.

``python -m bot eval`` writes ``docs/quality.md`` (the sections it owns) and prints the numbers.
The held-out set (tests/data/nlu_heldout.yml) is never used for training.
"""

from __future__ import annotations

import asyncio
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot import env, training
from knowledge import yamlfile
from nlu.examples import read_examples, training_examples

ROOT = env.ROOT
HELDOUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
CRISIS = ROOT / "tests" / "data" / "crisis.yml"
NOT_CRISIS = ROOT / "tests" / "data" / "not_crisis.yml"
CRISIS_DEV = ROOT / "tests" / "data" / "crisis_dev.yml"
QUALITY = ROOT / "docs" / "quality.md"


def heldout_examples() -> list[tuple[str, str]]:
    return read_examples([HELDOUT])


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the gold labels, from (gold, predicted) pairs."""
    labels = sorted({g for g, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def evaluate_heldout(model: Path) -> dict:
    from rasa.core.agent import Agent

    from bot.runtime import configure_rasa_logging

    configure_rasa_logging()
    agent = Agent.load(str(model))
    examples = heldout_examples()

    async def parse_all() -> list[str]:
        return [(await agent.parse_message(text))["intent"]["name"] for text, _ in examples]

    predicted = asyncio.run(parse_all())
    pairs = [(gold, pred) for (_, gold), pred in zip(examples, predicted, strict=False)]
    errors = [(t, g, p) for (t, g), p in zip(examples, predicted, strict=False) if g != p]
    return {
        "n": len(pairs),
        "accuracy": sum(g == p for g, p in pairs) / len(pairs),
        "macro_f1": macro_f1(pairs),
        "errors": errors,
    }


def evaluate_crisis() -> dict:
    """The tuned crisis sets (tests/data): written next to the patterns, so a regression check,
    not a measure of unseen messages (that is ``python -m bot blind``)."""
    from nlu.crisis import detect, pattern_hits

    crisis = yamlfile.read(CRISIS)
    not_crisis = yamlfile.read(NOT_CRISIS)
    missed = [c for c in crisis if detect(c["text"]) is None]
    per_cat: dict[str, list[int]] = {}
    for c in crisis:
        hit = detect(c["text"]) is not None
        per_cat.setdefault(c["categorie"], [0, 0])
        per_cat[c["categorie"]][0] += hit
        per_cat[c["categorie"]][1] += 1
    ordinary = [x["text"] if isinstance(x, dict) else x for x in not_crisis] + [
        t for t, _ in heldout_examples()
    ]
    alarms = [t for t in ordinary if detect(t) is not None]
    return {
        "n": len(crisis),
        "recall": 1 - len(missed) / len(crisis),
        "recall_patterns_only": sum(bool(pattern_hits(c["text"])) for c in crisis) / len(crisis),
        "missed": missed,
        "per_categorie": per_cat,
        "n_ordinary": len(ordinary),
        "false_alarms": alarms,
        "false_alarm_rate": len(alarms) / len(ordinary),
        "latency_ms": detector_latency([c["text"] for c in crisis] + ordinary),
        "dev": evaluate_crisis_dev(),
    }


def evaluate_crisis_dev() -> dict:
    """The development set (tests/data/crisis_dev.yml): visible, used to choose THRESHOLD and
    DOUBT, never trained on. Recall (sure or doubt) and false alarms, plain and near the border."""
    from nlu.crisis import detect

    items = yamlfile.read(CRISIS_DEV)["voorbeelden"]
    found = [(item, detect(item["text"])) for item in items]
    crisis = [(i, s) for i, s in found if i["categorie"] != "geen"]
    plain = [(i, s) for i, s in found if i["categorie"] == "geen" and not i.get("grens")]
    border = [(i, s) for i, s in found if i["categorie"] == "geen" and i.get("grens")]

    def alarm(row: tuple) -> bool:
        """A crisis answer or check; the lines as information (a question about 113) are not."""
        return row[1] is not None and not row[1].informatie

    def share(rows: list, test) -> float:
        return sum(1 for row in rows if test(row)) / len(rows) if rows else 0.0

    return {
        "n_crisis": len(crisis),
        "n_plain": len(plain),
        "n_border": len(border),
        "recall": share(crisis, lambda r: r[1] is not None),
        "recall_sure": share(crisis, lambda r: r[1] is not None and r[1].zeker),
        "fa_plain": share(plain, alarm),
        "fa_plain_sure": share(plain, lambda r: alarm(r) and r[1].zeker),
        "fa_border": share(border, alarm),
        "informatie": share([*plain, *border], lambda r: r[1] is not None and r[1].informatie),
        "missed": [i["text"] for i, s in crisis if s is None],
    }


def detector_latency(texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Milliseconds per message for the whole safety net (patterns and model), p50 and p95."""
    from nlu.crisis import detect

    detect("warm-up")
    times = []
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            detect(text)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95)]}


def crisis_model_cv(
    folds: int = 5, thresholds: tuple[float, ...] = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)
) -> dict:
    """Cross-validation of the learned crisis signal on its own training data, per threshold:
    how THRESHOLD in nlu/crisis_model.py was chosen (recall first, false-alarm cost measured)."""
    import random

    from nlu import crisis_model

    pairs = crisis_model.message_set()
    order = list(range(len(pairs)))
    random.Random(42).shuffle(order)
    scores: list[tuple[bool, float]] = []
    for k in range(folds):
        test = set(order[k::folds])
        # Grouped by message: the fragments of a test message are never trained on.
        train = [p for i, p in enumerate(pairs) if i not in test]
        model = crisis_model.fit(train + crisis_model.ordinary_fragments(train))
        for i in sorted(test):
            text, label = pairs[i]
            scores.append((label != crisis_model.NONE, model.scores(text)["crisis"]))
    positives = [s for is_crisis, s in scores if is_crisis]
    negatives = [s for is_crisis, s in scores if not is_crisis]
    return {
        "n_crisis": len(positives),
        "n_ordinary": len(negatives),
        "curve": [
            (
                t,
                sum(s >= t for s in positives) / len(positives),
                sum(s >= t for s in negatives) / len(negatives),
            )
            for t in thresholds
        ],
    }


def cross_validate(folds: int = 5) -> dict:
    with tempfile.TemporaryDirectory() as out:
        cmd = [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "nlu",
            "--nlu",
            str(ROOT / "nlu"),
            "--config",
            str(ROOT / "config.yml"),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            out,
            "--no-plot",
        ]
        t0 = time.monotonic()
        done = subprocess.run(cmd, cwd=ROOT, env=env.apply(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"rasa test nlu failed:\n{done.stderr[-3000:]}")
        report = json.loads((Path(out) / "intent_report.json").read_text())
        per_intent = {
            name: row["f1-score"]
            for name, row in report.items()
            if isinstance(row, dict) and "support" in row and not name.endswith(" avg")
        }
        return {
            "folds": folds,
            "macro_f1": report["macro avg"]["f1-score"],
            "accuracy": report.get("accuracy"),
            "weakest": sorted(per_intent.items(), key=lambda kv: kv[1])[:8],
            "seconds": time.monotonic() - t0,
        }


def cross_validation_from_report() -> str | None:
    """The cross-validation line an earlier ``python -m bot eval`` wrote into docs/quality.md."""
    text = QUALITY.read_text(encoding="utf8") if QUALITY.exists() else ""
    section = text.partition("<!-- nlu:start -->")[2].partition("<!-- nlu:end -->")[0]
    for line in section.splitlines():
        if "-fold cross-validation:" in line and line.startswith("- "):
            return line[2:]
    return None


def training_counts() -> tuple[int, int]:
    examples = training_examples()
    return len(examples), len({intent for _, intent in examples})


def write_report(sections: dict[str, str]) -> None:
    """Replace our marked sections in docs/quality.md, keeping any others."""
    QUALITY.parent.mkdir(exist_ok=True)
    text = (
        QUALITY.read_text(encoding="utf8")
        if QUALITY.exists()
        else "# Quality numbers\n\nMeasured on this project's own machines; regenerate with the commands named in each section.\n"
    )
    for key, body in sections.items():
        start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
        block = f"{start}\n{body.strip()}\n{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    QUALITY.write_text(text, encoding="utf8")


def crisis_report(crisis: dict, cv: dict | None) -> list[str]:
    """The tuned crisis section of docs/quality.md (the blind one is written by ``bot blind``)."""
    lines = [
        "## Crisis safety net, tuned sets (`python -m bot eval`)",
        "",
        "Tuned: tests/data/crisis.yml and not_crisis.yml were written next to the patterns and the",
        "detector's training data, so these numbers are a regression check. Unseen messages: see",
        "the blind section.",
        "",
        f"- Crisis set: {crisis['n']} messages; recall {crisis['recall']:.3f} "
        f"(patterns alone {crisis['recall_patterns_only']:.3f})"
        + (
            " (none missed)."
            if not crisis["missed"]
            else f"; missed: {', '.join(m['text'] for m in crisis['missed'])}"
        ),
        "- Per category: "
        + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(crisis["per_categorie"].items()))
        + ".",
        f"- False alarms on {crisis['n_ordinary']} ordinary messages (not_crisis set + held-out set): "
        f"{len(crisis['false_alarms'])} ({crisis['false_alarm_rate']:.1%}).",
        f"- Detector time per message (patterns + model): p50 {crisis['latency_ms']['p50']:.2f} ms, "
        f"p95 {crisis['latency_ms']['p95']:.2f} ms (target: ≤ 5 ms p95).",
    ]
    if crisis["false_alarms"]:
        lines += [""] + [f'  - "{t}"' for t in crisis["false_alarms"][:20]]
    dev = crisis["dev"]
    lines += [
        "",
        f"Development set (tests/data/crisis_dev.yml, visible, used to choose the thresholds, never "
        f"trained on): {dev['n_crisis']} crisis, {dev['n_plain']} ordinary and {dev['n_border']} "
        "ordinary near the border.",
        "",
        f"- Recall {dev['recall']:.1%} (a sure crisis answer {dev['recall_sure']:.1%}, the rest a check).",
        f"- False alarms: ordinary {dev['fa_plain']:.1%} (full answer {dev['fa_plain_sure']:.1%}), "
        f"near the border {dev['fa_border']:.1%}; the lines as information (a question about "
        f"113 or where to send someone) {dev['informatie']:.1%}.",
    ]
    if dev["missed"]:
        lines += [f'  - missed: "{t}"' for t in dev["missed"][:10]]
    if cv:
        lines += [
            "",
            f"Learned signal, 5-fold cross-validation on its training data ({cv['n_crisis']} crisis, "
            f"{cv['n_ordinary']} ordinary; the model alone, without the patterns):",
            "",
            "| threshold | recall | false alarms |",
            "|---|---|---|",
        ]
        lines += [f"| {t:.2f} | {r:.3f} | {f:.2%} |" for t, r, f in cv["curve"]]
    return lines


def run(folds: int = 5, skip_cv: bool = False) -> dict:
    model = training.ensure_model()
    n_examples, n_intents = training_counts()
    held = evaluate_heldout(model)
    crisis = evaluate_crisis()
    cv = None if skip_cv else cross_validate(folds)
    machine = (
        f"{platform.machine()}, {platform.python_version()}, {__import__('os').cpu_count()} cores"
    )
    lines = [
        "## NLU (`python -m bot eval`)",
        "",
        f"Machine: {machine}. Date: {time.strftime('%Y-%m-%d')}.",
        "",
        f"- Training data: {n_examples} examples over {n_intents} intents (nlu/*.yml).",
        f"- Held-out set: {held['n']} messages never used for training: accuracy {held['accuracy']:.3f}, macro-F1 {held['macro_f1']:.3f}.",
    ]
    if cv:
        lines.append(
            f"- {cv['folds']}-fold cross-validation: intent macro-F1 {cv['macro_f1']:.3f}, "
            f"accuracy {cv['accuracy']:.3f} ({cv['seconds']:.0f} s, {time.strftime('%Y-%m-%d')}). "
            "Weakest intents (F1): "
            + ", ".join(f"{name} {f1:.2f}" for name, f1 in cv["weakest"])
            + "."
        )
    elif earlier := cross_validation_from_report():
        # --skip-cv keeps the last measured cross-validation instead of erasing it
        lines.append(
            f"- {earlier.removesuffix(' (not rerun with --skip-cv)')} (not rerun with --skip-cv)"
        )
    if held["errors"]:
        lines += ["", "Held-out errors (text → expected / predicted):", ""]
        lines += [f'- "{t}" → {g} / {p}' for t, g, p in held["errors"][:40]]
    crisis_lines = crisis_report(crisis, crisis_model_cv())  # about a minute: always
    write_report({"nlu": "\n".join(lines), "crisis": "\n".join(crisis_lines)})
    print("\n".join(lines + [""] + crisis_lines))
    return {"heldout": held, "crisis": crisis, "cv": cv}
