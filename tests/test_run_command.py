"""The README's run command end to end: ``python -m bot chat`` starts the action server and
``rasa run`` with every configured channel, says which ones at start, and answers in the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _run_chat(tmp_path, model_path, db_url, lines: list[str], extra_env: dict[str, str]) -> str:
    env = {
        **os.environ,
        "BW_MODEL": str(model_path),
        "BW_DATABASE_URL": db_url,
        "BW_VAR_DIR": str(tmp_path / "var"),
        "BW_CHANNELS_DB": str(tmp_path / "var" / "channels.db"),
        **extra_env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_run_command_answers_the_mission_question_and_names_channels(tmp_path, model_path, db_url):
    from tests import fakes

    telegram = fakes.FakeTelegramAPI(fakes.TELEGRAM_TOKEN).start()
    try:
        out = _run_chat(
            tmp_path,
            model_path,
            db_url,
            ["wie bel je als je financieel in de problemen raakt", "/quit"],
            {
                "TELEGRAM_TOKEN": fakes.TELEGRAM_TOKEN,
                "TELEGRAM_SECRET_TOKEN": fakes.TELEGRAM_SECRET,
                "TELEGRAM_API_BASE": telegram.base_url,
            },
        )
    finally:
        telegram.stop()
    assert "Telegram-webhook: http://127.0.0.1:" in out
    assert "WhatsApp: uit" in out
    answer = out.split("Jij: ", 1)[1]
    assert "Buurtteam" in answer or "buurtteam" in answer
    assert "Geldfit" in answer
    # A concrete way to reach them: a phone number or a website.
    assert any(marker in answer for marker in ("020", "0800", "14 020", "https://"))
    # The conversation went through the real server: its tracker store holds it.
    assert (tmp_path / "var" / "tracker.db").exists()
