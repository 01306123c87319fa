#!/usr/bin/env bash
# Set up everything reportgen needs on a fresh Debian machine, then stay out of the way.
#   scripts/bootstrap.sh          what building a report needs
#   scripts/bootstrap.sh --test   also what the test suite needs (a browser, poppler)
# Safe to run again: it installs only what is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$here/.venv"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Debian packages: Pango for WeasyPrint, HarfBuzz subsetting (much faster font
# embedding), the Noto fonts the default theme uses (Latin and Japanese).
debs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk)
if [ "$want_test" = 1 ]; then
  debs+=(chromium poppler-utils)
fi

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "reportgen set-up: installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "reportgen set-up: please install as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Python side: a virtual environment beside the project, filled from the
# hashed locks with pip --require-hashes (requirements/run.txt; with --test
# requirements/dev.txt as well; `make locks` writes both from pyproject.toml),
# then reportgen itself, editable. Every pip call takes --no-deps: the locks
# already hold every dependency (pip check below says so), so pip resolves
# nothing (the pip of a new Python 3.11 venv refuses weasyprint's fonttools[woff] in
# hash-checking mode) and fetches nothing unhashed; --no-build-isolation
# builds reportgen with the hatchling of run.txt. A lock that pins pip (dev.txt:
# pip-tools needs a recent one) has it installed first, on its own, so pip is
# not replaced in the middle of its own run. Done again only when a lock or
# pyproject.toml changed since the last install.
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  echo "reportgen set-up: creating the virtual environment in .venv"
  "$python" -m venv "$venv"
fi
locks=("$here/requirements/run.txt")
[ "$want_test" = 1 ] && locks+=("$here/requirements/dev.txt")
stamp="$venv/.installed"
[ "$want_test" = 1 ] && stamp="$venv/.installed-test"
changed=0
[ -f "$stamp" ] || changed=1
for file in "$here/pyproject.toml" "${locks[@]}"; do
  if [ "$file" -nt "$stamp" ]; then changed=1; fi
done
if [ "$changed" = 1 ]; then
  echo "reportgen set-up: installing Python packages"
  log="$venv/pip-install.log"
  pip=("$venv/bin/python" -m pip install --disable-pip-version-check)
  requirements=()
  for lock in "${locks[@]}"; do requirements+=(-r "$lock"); done
  pin=$(sed -n '/^pip==/,/[^\\]$/p' "${locks[-1]}")
  if ! { { [ -z "$pin" ] || "${pip[@]}" --no-deps --require-hashes -r /dev/stdin <<<"$pin"; } &&
         "${pip[@]}" --no-deps --require-hashes "${requirements[@]}" &&
         "${pip[@]}" --no-deps --no-build-isolation -e "$here" &&
         "$venv/bin/python" -m pip check --disable-pip-version-check; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "reportgen set-up: pip failed (log above, also in $log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
