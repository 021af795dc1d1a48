#!/usr/bin/env bash
# Lint everything and fail on any finding: GitHub workflows (actionlint, which also runs shellcheck on `run:` blocks
# when that is on PATH), host scripts as installed and lab shell scripts (shellcheck), TypeScript (ESLint, typed), formatting
# (Prettier, check only). Installs nothing and writes only a temp dir it removes, so it can run any number of times.
# Tools: shellcheck and actionlint from .ci/run (ACTIONLINT may name the actionlint binary); eslint and prettier
# from node_modules (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob

status=0
run() {
  local t0=$SECONDS
  echo "--- $*"
  if "$@"; then echo "    ok ($((SECONDS - t0))s)"; else
    echo "    FAILED ($((SECONDS - t0))s)"
    status=1
  fi
}
missing() {
  echo "--- $1 not found: $2"
  status=1
}

actionlint=${ACTIONLINT:-$(command -v actionlint || true)}
if [ -n "$actionlint" ] && [ -x "$actionlint" ]; then
  command -v shellcheck >/dev/null || echo "(shellcheck not on PATH: actionlint will not check run: blocks)"
  run "$actionlint" -color=false .github/workflows/preview.yml .github/workflows/up.yml
else
  missing actionlint "set ACTIONLINT or put it on PATH (.ci/run builds it from the Go module proxy)"
fi

# The host scripts as installed (prelude and parameter block put in, lib/host-scripts.ts), wherever they live
# (components/scripts/, services/<name>/scripts/: SCRIPT_NAMES lists them all), into a temp dir that is removed
# again; the other scripts as they are (services/*/*.sh: scripts a service renders as files, not host scripts).
scripts=(lab/*.sh scripts/*.sh services/*/*.sh .ci/run)
[ -f lab/hadoop-standin/hadoop ] && scripts+=(lab/hadoop-standin/hadoop)
if command -v shellcheck >/dev/null; then
  assembled=$(mktemp -d)
  trap 'rm -rf -- "$assembled"' EXIT
  # shellcheck disable=SC2016 # JavaScript, not shell: its template literals are meant literally
  if node --import tsx -e 'const h = require("./lib/host-scripts.ts"); const fs = require("fs");
      for (const s of h.SCRIPT_NAMES) fs.writeFileSync(`${process.argv[1]}/${s}`, h.assembleScript(s));' -- "$assembled"; then
    run shellcheck -x "$assembled"/*.sh "${scripts[@]}"
  else
    echo "--- assembling the host scripts failed"; status=1
  fi
else
  missing shellcheck "apt-get install -y shellcheck"
fi

bin=node_modules/.bin
if [ -x "$bin/eslint" ] && [ -x "$bin/prettier" ]; then
  run "$bin/eslint" --max-warnings=0 .
  run "$bin/prettier" --check --log-level=warn .
else
  missing "eslint/prettier" "run npm ci"
fi

if [ "$status" = 0 ]; then echo "lint: clean"; else echo "lint: findings above"; fi
exit "$status"
