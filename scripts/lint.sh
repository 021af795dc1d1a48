#!/usr/bin/env bash
# Lint everything: TypeScript (ESLint), formatting (Prettier), host and lab shell (shellcheck), GitHub workflows
# (actionlint, which also shellchecks `run:` blocks). Installs nothing: .ci/run installs shellcheck and
# actionlint (ACTIONLINT may point at the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint=${ACTIONLINT:-$(command -v actionlint || echo /var/cache/lakehouse-ci/bin/actionlint)}
status=0
run() { echo "--- $*"; "$@" || status=1; }
run npx --no-install eslint .
run npx --no-install prettier --check .
run shellcheck -x components/scripts/*.sh lab/*.sh lab/hadoop-standin/hadoop scripts/*.sh .ci/run
if [ -x "$actionlint" ]; then
  run "$actionlint" -color=false
else
  echo "--- actionlint not found (set ACTIONLINT or install it as .ci/run does)"; status=1
fi
exit "$status"
