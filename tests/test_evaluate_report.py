"""`bot eval --skip-cv` keeps the last measured cross-validation line instead of erasing it."""

from __future__ import annotations

from bot import evaluate


def test_cross_validation_line_comes_from_the_nlu_section(tmp_path, monkeypatch) -> None:
    report = tmp_path / "quality.md"
    report.write_text(
        "<!-- baseline:start -->\n- 5-fold cross-validation: macro-F1 0.100 (copy)\n"
        "<!-- baseline:end -->\n\n<!-- nlu:start -->\n## NLU\n\n- Training data: 10 examples.\n"
        "- 5-fold cross-validation: intent macro-F1 0.903, accuracy 0.896.\n<!-- nlu:end -->\n",
        encoding="utf8",
    )
    monkeypatch.setattr(evaluate, "QUALITY", report)

    assert evaluate.cross_validation_from_report() == (
        "5-fold cross-validation: intent macro-F1 0.903, accuracy 0.896."
    )


def test_no_report_means_no_cross_validation_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(evaluate, "QUALITY", tmp_path / "missing.md")

    assert evaluate.cross_validation_from_report() is None
