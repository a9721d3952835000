# Two commands do all the set-up on a fresh machine (Python 3.11 and make):
#   make demo   runs the pipeline on the bundled sample page and prints its score
#   make test   runs the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo

.PHONY: demo test setup system-deps bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Debian packages: CJK fonts for the page renderer, Tesseract for the peer benchmark.
system-deps:
	bash scripts/install-system-deps.sh

demo: setup
	$(BIN)/broadsheet run samples/seed-page.jpg -o $(OUT) --overwrite
	$(BIN)/broadsheet score samples/seed-page.gt.txt $(OUT)

test: setup system-deps
	$(BIN)/python -m pytest -q

bench: setup system-deps
	$(BIN)/python scripts/bench_speed.py

clean:
	rm -rf $(VENV) out
