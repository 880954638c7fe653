// Ponder: cuBLAS loaded on first use, not when ggml-cuda loads.
//
// Included at the end of ggml-cuda's vendors/cuda.h by Ponder's CUDA build (native/lazy-cublas).
// Loading libcublas pulls in libcublasLt, whose start-up alone keeps ~80 MB of anonymous memory
// resident in every process that loads ggml-cuda. A model whose weights are quantised runs its
// matrix products in ggml's own kernels and may never call cuBLAS at all. Every cuBLAS function
// ggml-cuda calls is redirected here to a pointer looked up in libcublas the first time it is
// called; ggml-cuda is linked with --as-needed, so libcublas is no longer among its load-time
// dependencies. A call this list misses still links libcublas as before: slower to start, never wrong.
#pragma once

#include <cublas_v2.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace ponder_lazy_cublas {

// The library, opened once: by its versioned name (LD_LIBRARY_PATH, the loader's cache), then at
// the path the build linked against.
inline void * library() {
    static void * const handle = [] {
        char name[64];
        std::snprintf(name, sizeof(name), "libcublas.so.%d", CUBLAS_VER_MAJOR);
        void * opened = dlopen(name, RTLD_NOW | RTLD_LOCAL);
#ifdef PONDER_CUBLAS_PATH
        if (opened == nullptr) {
            opened = dlopen(PONDER_CUBLAS_PATH, RTLD_NOW | RTLD_LOCAL);
        }
#endif
        if (opened == nullptr) {
            std::fprintf(stderr, "ggml-cuda: cuBLAS could not be loaded (%s): %s\n", name, dlerror());
            std::abort();
        }
        return opened;
    }();
    return handle;
}

template <typename Function>
Function symbol(const char * name) {
    void * found = dlsym(library(), name);
    if (found == nullptr) {
        std::fprintf(stderr, "ggml-cuda: cuBLAS has no %s\n", name);
        std::abort();
    }
    return reinterpret_cast<Function>(found);
}

} // namespace ponder_lazy_cublas

// The function's own declaration gives the pointer's type, so no signature is written here. Each
// call site keeps its pointer in a static of its own, looked up once.
#define PONDER_LAZY_CUBLAS(name)                                                                  \
    ([] {                                                                                         \
        static const auto found = ponder_lazy_cublas::symbol<decltype(&::name)>(#name);           \
        return found;                                                                             \
    }())

// cuBLAS also declares C++ overloads of these beside the C functions (taking the older cudaDataType
// as computeType), so their C signature is named here. The cast picks that overload from the
// declarations, so a signature that does not match cuBLAS's stops the build.
namespace ponder_lazy_cublas {
using GemmEx = cublasStatus_t(CUBLASWINAPI *)(cublasHandle_t, cublasOperation_t, cublasOperation_t,
                                              int, int, int, const void *, const void *, cudaDataType,
                                              int, const void *, cudaDataType, int, const void *,
                                              void *, cudaDataType, int, cublasComputeType_t,
                                              cublasGemmAlgo_t);
using GemmBatchedEx = cublasStatus_t(CUBLASWINAPI *)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void *,
    const void * const *, cudaDataType, int, const void * const *, cudaDataType, int, const void *,
    void * const *, cudaDataType, int, int, cublasComputeType_t, cublasGemmAlgo_t);
using GemmStridedBatchedEx = cublasStatus_t(CUBLASWINAPI *)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void *, const void *,
    cudaDataType, int, long long int, const void *, cudaDataType, int, long long int, const void *,
    void *, cudaDataType, int, long long int, int, cublasComputeType_t, cublasGemmAlgo_t);
} // namespace ponder_lazy_cublas

#define PONDER_LAZY_CUBLAS_AS(name, Pointer)                                                      \
    ([] {                                                                                         \
        using checked = decltype(static_cast<ponder_lazy_cublas::Pointer>(&::name));             \
        static const auto found = ponder_lazy_cublas::symbol<checked>(#name);                     \
        return found;                                                                             \
    }())

// cublas_v2.h maps some names to their _v2 symbols; redirect whichever name the call resolves to.
#ifdef cublasCreate
#define cublasCreate_v2 PONDER_LAZY_CUBLAS(cublasCreate_v2)
#else
#define cublasCreate PONDER_LAZY_CUBLAS(cublasCreate)
#endif
#ifdef cublasDestroy
#define cublasDestroy_v2 PONDER_LAZY_CUBLAS(cublasDestroy_v2)
#else
#define cublasDestroy PONDER_LAZY_CUBLAS(cublasDestroy)
#endif
#ifdef cublasSetStream
#define cublasSetStream_v2 PONDER_LAZY_CUBLAS(cublasSetStream_v2)
#else
#define cublasSetStream PONDER_LAZY_CUBLAS(cublasSetStream)
#endif
#ifdef cublasSetWorkspace
#define cublasSetWorkspace_v2 PONDER_LAZY_CUBLAS(cublasSetWorkspace_v2)
#else
#define cublasSetWorkspace PONDER_LAZY_CUBLAS(cublasSetWorkspace)
#endif
#ifdef cublasSgemm
#define cublasSgemm_v2 PONDER_LAZY_CUBLAS(cublasSgemm_v2)
#else
#define cublasSgemm PONDER_LAZY_CUBLAS(cublasSgemm)
#endif
#define cublasSetMathMode PONDER_LAZY_CUBLAS(cublasSetMathMode)
#define cublasGetStatusString PONDER_LAZY_CUBLAS(cublasGetStatusString)
#define cublasLoggerConfigure PONDER_LAZY_CUBLAS(cublasLoggerConfigure)
#define cublasSgemmBatched PONDER_LAZY_CUBLAS(cublasSgemmBatched)
#define cublasSgemmStridedBatched PONDER_LAZY_CUBLAS(cublasSgemmStridedBatched)
#define cublasGemmEx PONDER_LAZY_CUBLAS_AS(cublasGemmEx, GemmEx)
#define cublasGemmBatchedEx PONDER_LAZY_CUBLAS_AS(cublasGemmBatchedEx, GemmBatchedEx)
#define cublasGemmStridedBatchedEx PONDER_LAZY_CUBLAS_AS(cublasGemmStridedBatchedEx, GemmStridedBatchedEx)
#define cublasStrsmBatched PONDER_LAZY_CUBLAS(cublasStrsmBatched)
