#!/usr/bin/env bash
# Installs the pinned test oracles into .oracles/: js-yaml 4.1.0, swagger-parser and Redocly CLI
# (npm), and openapi-spec-validator (PyPI, in a virtual environment). Idempotent; fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .oracles

# npm oracles, pinned: js-yaml (the YAML oracle), and two OpenAPI validators that judge the
# Strict profile besides openapi-spec-validator: swagger-parser 13.0.0 (13.1 needs Node 22) and
# Redocly CLI 2.x (runs on Node 20.19 and later).
NPM_PACKAGES=("js-yaml@4.1.0" "@apidevtools/swagger-parser@13.0.0" "@redocly/cli@2.77.0")
installed() { # name version: whether .oracles/node holds exactly that version
  local manifest=".oracles/node/node_modules/$1/package.json"
  [ -f "$manifest" ] && node -e "process.exit(require('./$manifest').version === process.argv[1] ? 0 : 1)" "$2"
}
missing=0
for spec in "${NPM_PACKAGES[@]}"; do
  installed "${spec%@*}" "${spec##*@}" || missing=1
done
if [ "$missing" = 1 ]; then
  mkdir -p .oracles/node
  npm install --silent --no-audit --no-fund --prefix .oracles/node "${NPM_PACKAGES[@]}" >/dev/null
fi
for spec in "${NPM_PACKAGES[@]}"; do
  installed "${spec%@*}" "${spec##*@}" || { echo "npm oracle ${spec} did not install" >&2; exit 1; }
done
node -e "const y=require('./.oracles/node/node_modules/js-yaml'); if (typeof y.dump!=='function') process.exit(1)"
node -e "const p=require('./.oracles/node/node_modules/@apidevtools/swagger-parser'); if (typeof p.validate!=='function') process.exit(1)"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true .oracles/node/node_modules/.bin/redocly --version >/dev/null 2>&1
echo "npm oracles ready: ${NPM_PACKAGES[*]}"

OSV_VERSION=0.9.0
if [ ! -x .oracles/venv/bin/openapi-spec-validator ] \
   || ! .oracles/venv/bin/pip show openapi-spec-validator 2>/dev/null | grep -q "^Version: $OSV_VERSION$"; then
  python3 -m venv .oracles/venv
  .oracles/venv/bin/pip install --quiet --disable-pip-version-check "openapi-spec-validator==$OSV_VERSION"
fi
.oracles/venv/bin/openapi-spec-validator --help >/dev/null
echo "openapi-spec-validator $OSV_VERSION ready"
