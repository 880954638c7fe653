#!/usr/bin/env bash
# GPU machine, after bench-on-device.sh (which installs the CUDA build and writes the 7B shape's
# model and adapter under bench/work): the model process's resident memory, step by step, for the
# engine through two modes and for node-llama-cpp alone, plus glibc malloc variants. One JSON line
# per run in $OUT/rss.jsonl.
#   bash bench/device/rss-on-device.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/device/setup-node.sh
export PONDER_NATIVE_BUILD=/tmp/cuda-build.json PONDER_ROOT=$PWD
model=bench/work/qwen2.5-7b-q4_k_m.gguf
adapter=bench/work/lora-r32-7b.gguf
probe() { node .device/rss-probe.mjs "$@" >>"$OUT/rss.jsonl" 2>>"$OUT/rss.err"; }
probe "$model" --label bare
for run in 1 2; do probe "$model" --adapter "$adapter" --label "engine-two-modes-$run"; done
# One malloc arena per thread is glibc's default; the loop, libuv and CUDA threads each get one.
MALLOC_ARENA_MAX=2 probe "$model" --adapter "$adapter" --label engine-two-modes-arena-max-2
MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=131072 \
  probe "$model" --adapter "$adapter" --label engine-two-modes-arena-max-2-trim
