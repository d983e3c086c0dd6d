#!/usr/bin/env bash
# Rebuild static/vendor/codemirror/editor.js from npm packages (versions pinned in package.json and
# package-lock.json). The built file is committed: neither `make run` nor CI needs node.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
mkdir -p ../../static/vendor/codemirror
npm run build
{
  echo "editor.js: CodeMirror 6 bundled by frontend/codemirror/build.sh with esbuild. Versions:"
  node -e 'const l=require("./package-lock.json").packages; for (const k of Object.keys(l).sort()) if (k.startsWith("node_modules/") && !l[k].dev) console.log("  " + k.slice(13) + " " + l[k].version + " (" + (l[k].license || "") + ")")'
} > ../../static/vendor/codemirror/VERSIONS.txt
