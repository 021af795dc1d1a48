#!/usr/bin/env bash
# Lint everything and fail on any finding: GitHub workflows (actionlint, which also runs shellcheck on `run:` blocks
# when that is on PATH), host and lab shell scripts (shellcheck), TypeScript (ESLint, typed), formatting
# (Prettier, check only). Installs nothing and writes nothing, so it can run any number of times.
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

scripts=(components/scripts/*.sh lab/*.sh scripts/*.sh .ci/run)
[ -f lab/hadoop-standin/hadoop ] && scripts+=(lab/hadoop-standin/hadoop)
if command -v shellcheck >/dev/null; then
  run shellcheck -x "${scripts[@]}"
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
