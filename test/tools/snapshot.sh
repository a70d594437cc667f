#!/usr/bin/env bash
# Byte-identity check for changes that must not change behaviour: builds slides/asyncio.md and every
# corpus deck of ../shared into $1, then prints a digest per file (HTML and logs as bytes, PDFs with
# their streams inflated and dates masked: see pdf-digest.mjs). Run it before and after a change
# with the same output folder and diff the two listings.
set -u
out=${1:?usage: test/tools/snapshot.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rm -rf "$out"; mkdir -p "$out"
shared=${SHARED:-$root/../shared}
for deck in slides/asyncio.md "$shared"/corpus/pandoc-beamer/[0-9]*.md; do
  name=$(basename "$deck" .md)
  node scripts/launch.mjs deck build --force --allow-overflow --out "$out/$name" "$deck" >"$out/$name.log" 2>&1
  echo "exit $?" >>"$out/$name.log"
  # timings vary from run to run
  sed -i -E 's/ \([0-9.]+ m?s\)//g' "$out/$name.log"
done
cd "$out"
find . -type f ! -name '*.pdf' | sort | xargs sha256sum
find . -type f -name '*.pdf' | sort | xargs node "$root/test/tools/pdf-digest.mjs"
