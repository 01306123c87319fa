# The two commands of the README, and a few more for developers.
#   make sample   set up (if needed) and build the sample report into output/
#   make test     set up (if needed, test tools included) and run the test suite
#   make strict-samples  every sample year built with --strict (CI, after the tests)
.PHONY: sample strict-samples test lint bench bench-targets property locks clean messages

sample:
	@scripts/bootstrap.sh
	.venv/bin/reportgen build reports/fy2012

# Every sample report set (reports/ and each one under examples/), every year,
# edition and language, built with --strict: any warning of the input or of the
# preflight (a near-empty page, text over text ...) fails it (issue 28). Sets
# and years added later are built too. CI runs it after the tests.
STRICT_OUT ?= output/strict
strict-samples:
	@scripts/bootstrap.sh
	@set -e; for set in reports examples/*/; do \
	  echo "reportgen build $$set --strict"; \
	  .venv/bin/reportgen build "$$set" --out "$(STRICT_OUT)/$$(basename $$set)" --strict -q; \
	done

# Every test, in one process per core (pytest-xdist; tests/conftest.py makes
# each shared build once for all of them). -m "not slow" for a quick run.
test:
	@scripts/bootstrap.sh --test
	.venv/bin/python -m pytest -n auto

# The message catalogs (src/reportgen/locale/) extracted again from
# src/reportgen/core/messages.py by Babel, and docs/messages.md from both;
# then fill the new entries' msgstr in each language's .po.
messages:
	.venv/bin/python -m reportgen.core.message_catalog --extract
	.venv/bin/python -m reportgen.core.message_catalog --docs

lint:
	@scripts/bootstrap.sh --test
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/mypy

# The property of issue 23 on 500 generated report folders unlike the samples
# (tests/foldergen.py), larger ones included; `make test` tries a few.
property:
	@scripts/bootstrap.sh --test
	.venv/bin/python -m tests.property_scan $${REPORTGEN_PROPERTY_EXAMPLES:-500}

bench:
	@scripts/bootstrap.sh --test
	.venv/bin/python bench/run.py
	.venv/bin/python bench/sharing.py
	.venv/bin/python bench/letters.py
	.venv/bin/python bench/cores.py
	.venv/bin/python bench/scale.py
	.venv/bin/python bench/size.py
	.venv/bin/python bench/targets.py
	.venv/bin/python bench/serve.py

# Issue 29's six targets, each figure beside its baseline measured in the same
# run, in one table (bench/targets.py). make bench-targets ARGS=--quick for a
# cheaper run (one of each, 200 donors); ARGS="--only 2,5" for some targets.
bench-targets:
	@scripts/bootstrap.sh --test
	.venv/bin/python bench/targets.py $(ARGS)

# The hashed locks requirements/run.txt and requirements/dev.txt written again
# from pyproject.toml (pip-tools; needs the registry). Existing pins are kept;
# make locks LOCK_ARGS="--upgrade-package NAME" moves one. The set-up runs only
# when pip-tools is missing: a pyproject.toml that the old locks no longer
# satisfy fails its pip check, and writing new locks is the way out.
locks:
	@[ -x .venv/bin/pip-compile ] || scripts/bootstrap.sh --test
	LOCK_ARGS="$(LOCK_ARGS)" scripts/lock.sh

clean:
	rm -rf output .cache
