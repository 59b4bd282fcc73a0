#!/usr/bin/env bash
# dist/ must equal a fresh build of the sources, byte for byte: `uses:` runs the committed
# dist/index.js and dist/accept.js and npm ships dist/cli.js, so a stale copy would run code nobody reviewed.
# Rebuilds dist/ in place, then fails, naming the changed files, when git sees any difference.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run -s build
# A git that cannot read the repository (e.g. "dubious ownership") must fail here, not pass.
changes=$(git status --porcelain -- dist)
if [ -n "$changes" ]; then
  printf '%s\n' "$changes"
  git --no-pager diff --stat -- dist
  echo "dist/ differs from a fresh build: run 'npm run build' and commit dist/" >&2
  exit 1
fi
echo "dist/ equals a fresh build"
