# Two commands for a newcomer: `make run` (set up, run the baseline) and `make test`.
.PHONY: setup setup-test run test lint format

setup:
	@bash scripts/setup.sh dashboard,classroom

setup-test:
	@bash scripts/setup.sh dashboard,classroom,test,workbench
	@bash scripts/setup-browser.sh

run: setup
	.venv/bin/lynchpin run baseline --worlds 1000 --out runs/baseline --overwrite

test: setup-test
	.venv/bin/ruff check lynchpin tests benchmarks
	.venv/bin/ruff format --check lynchpin tests benchmarks
	.venv/bin/python -m pytest -n 2 --dist loadgroup

lint:
	.venv/bin/ruff check lynchpin tests benchmarks

format:
	.venv/bin/ruff format lynchpin tests benchmarks
	.venv/bin/ruff check --fix lynchpin tests benchmarks
