# Two commands do all the set-up on a fresh machine (Python 3.11 and make):
#   make demo   runs the pipeline on the bundled sample page and prints its score
#   make test   runs the tests (all of them in the full install, the base-install ones again in
#               an install without extras, as `pip install broadsheet` gives it)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo
# What `pip install broadsheet` alone gives a user: no extras, so opencv-python-headless is the
# only cv2 (the paddleocr extra brings opencv-contrib-python 4.10, which shadows it in $(VENV)).
BASE   := .venv-base
# The tests that need nothing beyond the base install, run there too.
BASE_TESTS := tests/test_end_to_end.py tests/test_cleanup.py tests/test_cleanup_steps.py \
              tests/test_layout.py tests/test_ocr.py tests/test_vertical.py tests/test_batch_inputs.py \
              tests/test_drop_caps.py tests/test_latin_pages.py

.PHONY: demo test setup system-deps bench clean

setup: $(VENV)/.installed

$(BASE)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BASE)
	$(BASE)/bin/pip install --quiet --upgrade pip
	$(BASE)/bin/pip install --quiet -e . pytest
	touch $@

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

test: setup system-deps $(BASE)/.installed
	$(BIN)/python -m pytest -q
	$(BASE)/bin/python -m pytest -q $(BASE_TESTS)

bench: setup system-deps
	$(BIN)/python scripts/bench_speed.py

clean:
	rm -rf $(VENV) $(BASE) out
