#!/usr/bin/env bash
# Raw llama.cpp for the CPU comparison: llama-bench compiled from the llama.cpp source node-llama-cpp
# ships (its git bundle, patches applied) and linked against node-llama-cpp's own prebuilt CPU
# libraries, so raw and Ponder run the very same llama.cpp binaries. Output: bench/work/llama-bench-cpu/.
#   bash bench/build-cpu-llama-bench.sh [LIBRARY_DIR]
# LIBRARY_DIR: the libraries to link against instead, e.g. the Release/ folder of the CPU build with
# the native decode loop (npm run native:cpu), which the engine loads when the GPU is off.
set -euo pipefail
given=${1:+$(realpath "$1")}
cd "$(dirname "$0")/.."
nlc=$PWD/node_modules/node-llama-cpp
bins=${given:-$(ls -d node_modules/@node-llama-cpp/linux-x64/bins/linux-x64)}
out=bench/work/llama-bench-cpu
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git clone -q "$nlc/llama/gitRelease.bundle" "$src/llama.cpp"
git -C "$src/llama.cpp" apply "$nlc"/llama/patches/*.diff
rm -rf "$out"
mkdir -p "$out"
cp "$bins"/*.so "$out/"
s=$src/llama.cpp
inc=(-I"$s/tools/llama-bench" -I"$s/common" -I"$s/include" -I"$s/ggml/include" -I"$s/vendor")
# A local build's library names carry its build's hash (libllama.v0.4.0.<hash>.so).
lib() { basename "$(ls "$out"/$1 | head -1)"; }
libs=(-L"$out" -l:libllama-common.so -l:"$(lib 'libllama.v*.so')" -l:"$(lib 'libggml.v*.so')" -l:libggml-base.so)
g++ -O3 -DNDEBUG -std=c++17 -fPIC -shared "${inc[@]}" "$s/tools/llama-bench/llama-bench.cpp" \
  -o "$out/libllama-bench-impl.so" "${libs[@]}" -Wl,-rpath,'$ORIGIN'
g++ -O3 -DNDEBUG -std=c++17 "${inc[@]}" "$s/tools/llama-bench/main.cpp" -o "$out/llama-bench" \
  -L"$out" -l:libllama-bench-impl.so "${libs[@]}" -Wl,-rpath,'$ORIGIN'
"$out/llama-bench" --help >/dev/null && echo "built $out/llama-bench"
