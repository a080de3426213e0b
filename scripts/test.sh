#!/usr/bin/env bash
# Runs every check of the project, as CI does. Installs the test oracles it needs into .oracles/
# (ignored by git), and PostgreSQL from the system's packages when missing (scripts/with-postgres.sh
# starts a throw-away server for the tests and stops it at the end); nothing else has to be
# installed by hand beyond Rust, Node.js/npm and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "self-contained: no file refers to the sibling folder shared/"
# The repository must pass its tests in any folder: every file it reads lives in fixtures/.
pattern='\.\./shared'
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  refs=$(git grep -n -e "$pattern" -- . || true)
else
  refs=$(grep -rn --exclude-dir=target --exclude-dir=.oracles -e "$pattern" . || true)
fi
if [ -n "$refs" ]; then
  printf '%s\n' "$refs"
  echo "the files above refer to the sibling folder shared/, which a clone does not have: copy what they need into fixtures/" >&2
  exit 1
fi

# A clean build gains nothing from incremental compilation's caches, which would double the disk
# the build takes.
if [ "${CI:-}" = true ]; then
  export CARGO_INCREMENTAL=0
fi

step "oracles"
scripts/oracles.sh

export APIG_EXPORT_ORACLES="$PWD/.oracles"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --all-targets --all-features -- -D warnings

step "tests and doctests (with a throw-away PostgreSQL server for the task store's tests)"
scripts/with-postgres.sh cargo test --all-features

step "rustdoc -D warnings"
RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --all-features

step "benches compile"
cargo bench --no-run

if [ -f fuzz/Cargo.toml ]; then
  step "fuzz targets compile"
  cargo check --manifest-path fuzz/Cargo.toml
fi

step "all checks passed"
