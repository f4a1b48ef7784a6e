#!/usr/bin/env bash
# Installs exactly the versions in package-lock.json into benchmarks/node/node_modules.
# Idempotent: skips npm when node_modules was installed from the same lock file.
# Needs only Node >= 20 and npm (e.g. Debian 12 with Node 20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v node >/dev/null || { echo "setup.sh: node not found (need Node >= 20)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup.sh: npm not found" >&2; exit 1; }
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "setup.sh: Node $(node --version) is too old (need >= 20)" >&2
  exit 1
fi

# The stamp holds a hash of the lock file the tree was installed from.
want="$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync("package-lock.json")).digest("hex"))')"
stamp="node_modules/.llmap-bench-lock.sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

rm -f "$stamp"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
printf '%s' "$want" > "$stamp"
