#!/usr/bin/env bash
# Write the two hashed locks that scripts/bootstrap.sh installs from:
#   requirements/run.txt   what `make sample` installs: pyproject.toml's [project]
#                          dependencies and the build backend (hatchling)
#   requirements/dev.txt   what `make test` installs: run.txt's packages at
#                          run.txt's versions, and the `test` extra
# Run it through make, after changing a dependency in pyproject.toml:
#   make locks
# It needs pip-tools in .venv (the `test` extra: scripts/bootstrap.sh --test) and
# the registry.
# Pins already in the locks are kept; to move a package to its newest version
# that pyproject.toml accepts:
#   make locks LOCK_ARGS="--upgrade-package NAME"
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

# --build-deps-for editable: hatchling (and what it asks for an editable build)
#   is locked too, so bootstrap.sh installs the project without build isolation
#   and nothing unhashed comes in.
# --allow-unsafe: pip and setuptools, which pip-tools needs, are pinned like
#   any package (bootstrap.sh installs that pip first, on its own).
options=(
  --quiet
  --generate-hashes
  --allow-unsafe
  --build-deps-for editable
  --strip-extras
  --no-header --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
  ${LOCK_ARGS:-}
)

header() {
  cat <<EOF
# $1
#
# Written by \`make locks\` (scripts/lock.sh: pip-tools' pip-compile --generate-hashes),
# never by hand; scripts/bootstrap.sh installs it with pip --require-hashes.
# Why pip-tools rather than uv pip compile: pip-compile resolves with pip itself,
# the installer the set-up uses, and it can lock the build backend as well
# (--build-deps-for editable), so the project's own editable install takes
# hatchling from this hashed list instead of an unpinned build environment.
#
# Resolved with Python $2 on $3. Each pin lists the hash of every file PyPI
# has for that version (every wheel, every platform, and the sdist), so an
# arm64 or macOS machine installs from this file too. Packages that only some
# platforms need are listed without their markers: SecretStorage and jeepney
# (keyring on Linux) install anywhere, and so do importlib-metadata, zipp and
# backports-tarfile (Python before 3.12). A platform that needs a package
# missing here (pywin32-ctypes, keyring's on Windows) is refused by
# --require-hashes: run \`make locks\` there.
#
EOF
}

python=.venv/bin/python
if [ ! -x .venv/bin/pip-compile ]; then
  echo "scripts/lock.sh: pip-tools is not in .venv: run scripts/bootstrap.sh --test first" >&2
  exit 1
fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
platform="$(uname -s) $(uname -m)"
compile() {
  local out=$1 title=$2
  shift 2
  CUSTOM_COMPILE_COMMAND="make locks" .venv/bin/pip-compile "${options[@]}" "$@" \
    --output-file "$out" pyproject.toml
  { header "$title" "$version" "$platform"; cat "$out"; } >"$out.new"
  mv "$out.new" "$out"
}

mkdir -p requirements
compile requirements/run.txt "reportgen's run-time lock: what \`make sample\` installs."
compile requirements/dev.txt "reportgen's development lock: what \`make test\` installs (run.txt's pins and the test extra)." \
  --extra test --constraint requirements/run.txt
