# Bestaanswijzer. The two commands from the README:
#   make run    set up and chat with the assistant in the terminal (SQLite, no accounts)
#   make test   set up and run all tests (what CI runs)
.PHONY: run test test-unit setup train lint format kb-validate bench scale scale-stop screenshots clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

test-unit:   # the tests that need no trained Rasa model and no server (a fast loop while editing)
	bash scripts/setup.sh && RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=$(CURDIR) .venv/bin/python -m pytest -m unit -q

setup:
	bash scripts/setup.sh && .venv/bin/python -m bot setup

train:
	bash scripts/setup.sh && .venv/bin/python -m bot train

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

kb-validate:
	.venv/bin/python -m bot kb validate

bench:
	bash scripts/setup.sh && .venv/bin/python -m bot bench

scale:       # PostgreSQL, Redis, 2 Rasa + 2 action servers behind nginx on loopback (docs/deploy.md)
	bash scripts/scale.sh start

scale-stop:
	bash scripts/scale.sh stop

screenshots: # staff console screenshots -> docs/screenshots (browser test run)
	bash scripts/setup.sh && bash scripts/chromium.sh && BW_SCREENSHOTS=docs/screenshots PYTHONPATH=$(CURDIR) .venv/bin/python -m pytest tests/test_console_browser.py tests/test_console_work_browser.py tests/test_console_tools_browser.py -q

clean:
	rm -rf models .rasa var nlu/generated .pytest_cache
