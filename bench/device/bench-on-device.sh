#!/usr/bin/env bash
# GPU machine: installs the CUDA build made by build-on-device.sh (carried as .device/cuda-build.tar.xz)
# where node-llama-cpp looks for local builds, then runs the bench; results come back through $OUT.
#   bash bench/device/bench-on-device.sh --shapes 7b,1.5b --gpu cuda --probe ...
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/device/setup-node.sh
folder=node_modules/node-llama-cpp/llama/localBuilds/${PONDER_CUDA_FOLDER:-linux-x64-cuda-3w3fe5x4f6314532j1a4a5l234u5i5n4e6w4z4n}
if [ ! -f "$folder/Release/llama-addon.node" ]; then
  mkdir -p "$folder/Release"
  xz -dc .device/cuda-build.tar.xz | tar -C "$folder/Release" -xf -
  touch "$folder/buildDone.status"
fi
bin=$PWD/$folder/Release
# llama-bench links libllama-bench-impl.so from its own build folder; carried separately when missing.
[ -f .device/libllama-bench-impl.so ] && [ ! -f "$bin/libllama-bench-impl.so" ] && cp .device/libllama-bench-impl.so "$bin/"
"$bin/llama-bench" --help >/dev/null 2>&1 || echo "llama-bench does not start: $("$bin/llama-bench" --help 2>&1 | tail -2)"
printf '{"cudaArch":"90","cmakeOptions":{"CMAKE_CUDA_ARCHITECTURES":"90"},"folderName":"%s","binDir":"%s","llamaBench":"%s","builtAt":"carried"}\n' \
  "$(basename "$folder")" "$bin" "$bin/llama-bench" >/tmp/cuda-build.json
export PONDER_NATIVE_BUILD=/tmp/cuda-build.json PONDER_ROOT=$PWD
node .device/bench.mjs "$@" 2>&1 | tee "$OUT/bench.log" | grep -E '^\[bench|Error|error' | tail -40
cp bench/results/*.json bench/results/*.svg "$OUT/" 2>/dev/null
ls "$OUT"
