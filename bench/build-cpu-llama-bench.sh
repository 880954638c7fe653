#!/usr/bin/env bash
# Raw llama.cpp for the CPU comparison: llama-bench compiled from the llama.cpp source node-llama-cpp
# ships (its git bundle, patches applied) and linked against node-llama-cpp's own prebuilt CPU
# libraries, so raw and Ponder run the very same llama.cpp binaries. Output: bench/work/llama-bench-cpu/.
set -euo pipefail
cd "$(dirname "$0")/.."
nlc=node_modules/node-llama-cpp
bins=$(ls -d node_modules/@node-llama-cpp/linux-x64/bins/linux-x64)
out=bench/work/llama-bench-cpu
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git clone -q "$nlc/llama/gitRelease.bundle" "$src/llama.cpp"
git -C "$src/llama.cpp" apply "$nlc"/llama/patches/*.diff
mkdir -p "$out"
cp "$bins"/* "$out/"
s=$src/llama.cpp
inc=(-I"$s/tools/llama-bench" -I"$s/common" -I"$s/include" -I"$s/ggml/include" -I"$s/vendor")
libs=(-L"$out" -l:libllama-common.so -l:libllama.v0.4.0.so -l:libggml.v0.4.0.so -l:libggml-base.so)
g++ -O3 -DNDEBUG -std=c++17 -fPIC -shared "${inc[@]}" "$s/tools/llama-bench/llama-bench.cpp" \
  -o "$out/libllama-bench-impl.so" "${libs[@]}" -Wl,-rpath,'$ORIGIN'
g++ -O3 -DNDEBUG -std=c++17 "${inc[@]}" "$s/tools/llama-bench/main.cpp" -o "$out/llama-bench" \
  -L"$out" -l:libllama-bench-impl.so "${libs[@]}" -Wl,-rpath,'$ORIGIN'
"$out/llama-bench" --help >/dev/null && echo "built $out/llama-bench"
