#!/usr/bin/env bash
# GPU machine, after bench-on-device.sh (which installs the CUDA build and writes the 7B shape's
# model and adapter under bench/work): the model process's resident memory, step by step, for the
# engine through two modes and for node-llama-cpp alone, with the model process's malloc settings. One JSON line
# per run in $OUT/rss.jsonl.
#   bash bench/device/rss-on-device.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
source bench/device/setup-node.sh
export PONDER_NATIVE_BUILD=/tmp/cuda-build.json PONDER_ROOT=$PWD
model=bench/work/qwen2.5-7b-q4_k_m.gguf
adapter=bench/work/lora-r32-7b.gguf
probe() { node .device/rss-probe.mjs "$@" >>"$OUT/rss.jsonl" 2>>"$OUT/rss.err"; }
# The model process runs with these glibc settings (electron/core/model-host/model-process-env.ts).
export MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=131072
probe "$model" --label bare
# The same steps, then the f16 adapter on the same context: what each first use of it adds.
probe "$model" --lora "$adapter" --label bare-then-adapter
GGML_CUDA_DISABLE_GRAPHS=1 probe "$model" --lora "$adapter" --label bare-then-adapter-no-cuda-graphs
# The engine as Ponder runs it: on a GPU its runtime adapters are Q8_0 copies, made by the first
# run into bench/work/data and found there by the next ones (as by the app after its first use).
probe "$model" --adapter "$adapter" --label engine-two-modes-first-run
for run in 1 2; do probe "$model" --adapter "$adapter" --label "engine-two-modes-$run"; done
# The adapter as given (f16), as before the copies.
PONDER_ADAPTER_STORAGE=as-given probe "$model" --adapter "$adapter" --label engine-two-modes-adapter-as-given
# Attribution only: how much of it is ggml-cuda's CUDA graphs (which decode needs for its speed).
GGML_CUDA_DISABLE_GRAPHS=1 probe "$model" --adapter "$adapter" --label engine-two-modes-no-cuda-graphs
