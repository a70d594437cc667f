#!/bin/sh
# `npm test`: the type check beside the test suite (tsc takes 3 to 8 s, mostly while vitest starts
# its workers), then the type check's report if it failed. Fails if either fails; arguments go to
# vitest.
mkdir -p .cache
tsc --noEmit > .cache/typecheck.log 2>&1 &
typecheck=$!
vitest run "$@"
tests=$?
wait "$typecheck"
types=$?
if [ "$types" -ne 0 ]; then
  cat .cache/typecheck.log
  echo "npm test: the type check (tsc --noEmit) failed" >&2
fi
[ "$tests" -eq 0 ] && [ "$types" -eq 0 ]
