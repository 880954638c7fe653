/**
 * Compiler flags for every CPU build Ponder makes from llama.cpp's source (`-march=native`, the
 * default): AMX off. On a CPU that reports AMX (Intel Xeon since Sapphire Rapids), llama.cpp
 * 3.21.1's bundled source then multiplies Q4_K/Q8_0 weights with AMX tile instructions, which died
 * here with SIGILL ("invalid opcode" at `tilezero`) on the first prompt of a Q4_K_M model: the
 * tile configuration is set up for the thread that asked for AMX, not for the threads that run the
 * kernels (llama.cpp pull request 26954). AVX-512 and AVX-VNNI stay on; GCC lets an explicit
 * `-mno-…` win over `-march=native` whatever their order. They go in the Release flags (every
 * build here is Release, whose default flags are `-O3 -DNDEBUG`) because node-llama-cpp's builder
 * (cmake-js) replaces CMAKE_CXX_FLAGS with its own. Only x86-64 compilers know these flags.
 */
const RELEASE_WITHOUT_AMX = '-O3 -DNDEBUG -mno-amx-tile -mno-amx-int8 -mno-amx-bf16';

export const CPU_COMPILER_FLAGS: Readonly<Record<string, string>> =
  process.arch === 'x64'
    ? { CMAKE_C_FLAGS_RELEASE: RELEASE_WITHOUT_AMX, CMAKE_CXX_FLAGS_RELEASE: RELEASE_WITHOUT_AMX }
    : {};
