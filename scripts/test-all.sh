#!/bin/bash
# The whole suite (`npm test`): the unit tests while the lab comes up beside them (the lab waits
# mostly on downloads, disks and daemons, the unit tests on the CPU), then the build, the e2e
# suite against the lab, and the lab down whatever happened. Linux and root for the lab.
set -uo pipefail
cd "$(dirname "$0")/.."
up_log=$(mktemp -t virtdeck-lab-up.XXXXXX)
npm run --silent lab:up > "$up_log" 2>&1 &
lab=$!
npm run test:unit
unit=$?
wait "$lab"
up=$?
echo "--- lab up (beside the unit tests):"
cat "$up_log"
rm -f "$up_log"
rc=1
if ((unit == 0 && up == 0)); then
  npm run build && npm run test:e2e
  rc=$?
fi
npm run --silent lab:down
((unit == 0)) || echo "unit tests failed" >&2
((up == 0)) || echo "the lab did not come up" >&2
exit "$rc"
