#!/usr/bin/env bash
# Installs the pinned test oracles into .oracles/: js-yaml 4.1.0 (npm) and
# openapi-spec-validator (PyPI, in a virtual environment). Idempotent; fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .oracles

JS_YAML_VERSION=4.1.0
if [ ! -f .oracles/node/node_modules/js-yaml/package.json ] \
   || ! grep -q "\"version\": \"$JS_YAML_VERSION\"" .oracles/node/node_modules/js-yaml/package.json; then
  mkdir -p .oracles/node
  npm install --silent --no-audit --no-fund --prefix .oracles/node "js-yaml@$JS_YAML_VERSION" >/dev/null
fi
node -e "const y=require('./.oracles/node/node_modules/js-yaml'); if (typeof y.dump!=='function') process.exit(1)"
echo "js-yaml $JS_YAML_VERSION ready"

OSV_VERSION=0.9.0
if [ ! -x .oracles/venv/bin/openapi-spec-validator ] \
   || ! .oracles/venv/bin/pip show openapi-spec-validator 2>/dev/null | grep -q "^Version: $OSV_VERSION$"; then
  python3 -m venv .oracles/venv
  .oracles/venv/bin/pip install --quiet --disable-pip-version-check "openapi-spec-validator==$OSV_VERSION"
fi
.oracles/venv/bin/openapi-spec-validator --help >/dev/null
echo "openapi-spec-validator $OSV_VERSION ready"
