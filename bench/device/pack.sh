#!/usr/bin/env bash
# Packs what a GPU machine without Node needs into .device/ (git-ignored): a Node binary, npm,
# node-llama-cpp with its dependencies, the patched llama.cpp source node-llama-cpp ships, and the
# bench and native entry points bundled to plain JavaScript.
#   bench/device/pack.sh [--source]   (--source adds llama.cpp source for native:cuda)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=.device
mkdir -p "$out"

[ -s "$out/node.xz" ] || xz -T2 -c "$(command -v node)" >"$out/node.xz"
[ -s "$out/npm.tar.xz" ] || tar -C "$(dirname "$(readlink -f "$(command -v npm)")")/../.." -cJf "$out/npm.tar.xz" npm

# node-llama-cpp and everything it requires, without prebuilt binaries, the git bundle, maps and typings.
node --input-type=module -e '
import fs from "node:fs"; import path from "node:path";
const seen = new Set();
function visit(name, from) {
  let dir = from, p;
  for (;;) { p = path.join(dir, "node_modules", name); if (fs.existsSync(p)) break;
    const up = path.dirname(dir); if (up === dir) return; dir = up; }
  if (seen.has(p) || name.startsWith("@node-llama-cpp/")) return; seen.add(p);
  const pj = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8"));
  for (const d of Object.keys({ ...pj.dependencies, ...pj.optionalDependencies })) visit(d, p);
}
visit("node-llama-cpp", process.cwd()); visit("zod", process.cwd());
fs.writeFileSync(".device/nm.list", [...seen].map((s) => path.relative(process.cwd(), s)).join("\n") + "\n");
'
echo node_modules/.bin >>"$out/nm.list"
tar -cJf "$out/nm.tar.xz" --exclude='*.map' --exclude='*.d.ts' --exclude='gitRelease.bundle' \
  --exclude='node_modules/node-llama-cpp/llama/llama.cpp' --exclude='node_modules/node-llama-cpp/llama/localBuilds' \
  -T "$out/nm.list"

if [ "${1:-}" = "--source" ]; then
  src=$(mktemp -d)
  git clone -q "$root/node_modules/node-llama-cpp/llama/gitRelease.bundle" "$src/llama.cpp"
  git -C "$src/llama.cpp" apply "$root/node_modules/node-llama-cpp/llama/patches/"*.diff
  tar -C "$src" -cJf "$out/llama-src.tar.xz" --exclude=.git --exclude=llama.cpp/docs --exclude=llama.cpp/models \
    --exclude=llama.cpp/examples/*/models --exclude=llama.cpp/tools/server/public* llama.cpp
  rm -rf "$src"
fi

bundle() {
  npx esbuild "$1" --bundle --platform=node --format=esm --target=node20 --packages=external \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
    --outfile="$2" --log-level=warning
}
bundle native/build-cuda.ts "$out/build-cuda.mjs"
[ -f bench/run-bench.ts ] && bundle bench/run-bench.ts "$out/bench.mjs"
bundle bench/rss-probe.ts "$out/rss-probe.mjs"
du -sh "$out"/* | sort -h
