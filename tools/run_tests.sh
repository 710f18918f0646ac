#!/usr/bin/env bash
# Run pytest; a run that collects no test is a failure (pytest exits 5), not a pass.
set -uo pipefail
pytest_bin=$1
shift
"$pytest_bin" "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "run_tests: pytest collected no tests; failing" >&2
  exit 1
fi
exit "$rc"
