#!/usr/bin/env bash
# GPU machine: npm run native:cuda -- --arch 90 --llama-bench, then hands the build back through $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/device/setup-node.sh
{
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv
  lscpu | grep -E 'Model name|^CPU\(s\)'
  cmake --version | head -1; nvcc --version | tail -2; gcc --version | head -1; node --version
} >"$OUT/env.txt" 2>&1
start=$(date +%s)
node .device/build-cuda.mjs --arch "${1:-90}" --llama-bench >"$OUT/build.log" 2>&1
rc=$?
echo "native:cuda rc=$rc in $(($(date +%s) - start)) s" | tee -a "$OUT/build.log"
# The bundled script keeps its record beside itself (.device/build/), the repo's in native/build/.
record=$(ls .device/build/cuda-build.json native/build/cuda-build.json 2>/dev/null | head -1)
cp "$record" "$OUT/" 2>/dev/null
bin=$(node -e "try{console.log(require('./$record').binDir)}catch{}")
[ -n "$bin" ] && ls -la "$bin" >"$OUT/bin-listing.txt"
# llama.cpp's merge tools for fast modes, from the same CMake build (same commit and flags).
if [ -n "$bin" ] && [ "${TOOLS:-1}" = 1 ]; then
  tstart=$(date +%s)
  cmake --build "$(dirname "$bin")" --config Release --target llama-export-lora llama-quantize -j "$(nproc)" >>"$OUT/build.log" 2>&1
  # Each tool links its logic from a lib<tool>-impl.so built beside it, found through $ORIGIN.
  for file in llama-export-lora llama-quantize libllama-quantize-impl.so libllama-export-lora-impl.so; do
    found=$(find "$(dirname "$bin")" -name "$file" -type f | grep -v "^$bin/" | head -1)
    [ -n "$found" ] && cp "$found" "$bin/"
  done
  echo "merge tools in $(($(date +%s) - tstart)) s: $(ls "$bin" | grep -cE 'llama-(export-lora|quantize)$') of 2" | tee -a "$OUT/build.log"
fi
if [ -n "$bin" ] && [ "${PACK:-0}" = 1 ]; then
  tar -C "$bin" -cf - . | xz -T0 -6 >/tmp/cuda-build.tar.xz
  split -b 15M -d /tmp/cuda-build.tar.xz "$OUT/cuda-build.tar.xz.part"
fi
[ -n "$bin" ] && "$bin/llama-bench" --help >/dev/null 2>&1 && echo "llama-bench runs" | tee -a "$OUT/build.log"
tail -5 "$OUT/build.log"
