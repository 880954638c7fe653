#!/usr/bin/env bash
# Sourced on the GPU machine (which has no Node): unpacks what bench/device/pack.sh put in .device/.
T=/tmp/ponder-node
if [ ! -x $T/bin/node ]; then
  mkdir -p $T/bin
  xz -dc .device/node.xz >$T/bin/node && chmod +x $T/bin/node
fi
# npm is needed only by node-llama-cpp's source build (it runs `npm run cmake-js-llama`).
if [ -f .device/npm.tar.xz ] && [ ! -e $T/bin/npm ]; then
  tar -C $T -xJf .device/npm.tar.xz
  ln -sf $T/npm/bin/npm-cli.js $T/bin/npm
  ln -sf $T/npm/bin/npx-cli.js $T/bin/npx
fi
export PATH=$T/bin:$PATH
if [ ! -d node_modules/node-llama-cpp/dist ]; then for f in .device/nm.tar.xz .device/nm-run.tar.xz; do [ -f $f ] && tar -xJf $f && break; done; fi
if [ -f .device/llama-src.tar.xz ] && [ ! -d node_modules/node-llama-cpp/llama/llama.cpp/.git ]; then
  tar -C node_modules/node-llama-cpp/llama -xJf .device/llama-src.tar.xz
  # node-llama-cpp treats the source as cloned when llama.cpp/.git exists (isLlamaCppRepoCloned).
  git init -q node_modules/node-llama-cpp/llama/llama.cpp 2>/dev/null || mkdir -p node_modules/node-llama-cpp/llama/llama.cpp/.git
fi
