# The two commands of the README, and a few more for developers.
#   make sample   set up (if needed) and build the sample report into output/
#   make test     set up (if needed, test tools included) and run the test suite
.PHONY: sample test lint bench clean

sample:
	@scripts/bootstrap.sh
	.venv/bin/reportgen build reports/fy2012

# Every test, in one process per core (pytest-xdist; tests/conftest.py makes
# each shared build once for all of them). -m "not slow" for a quick run.
test:
	@scripts/bootstrap.sh --test
	.venv/bin/python -m pytest -n auto

lint:
	@scripts/bootstrap.sh --test
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/mypy

bench:
	@scripts/bootstrap.sh --test
	.venv/bin/python bench/run.py
	.venv/bin/python bench/letters.py
	.venv/bin/python bench/cores.py
	.venv/bin/python bench/scale.py

clean:
	rm -rf output .cache
