// Calls cuBLAS the way ggml-cuda does: the _v2 macro, calls inside a checking macro (one to a
// function cuBLAS also overloads in C++), a status string.
#include <cublas_v2.h>
#ifdef PONDER_LAZY
#include "lazy-cublas.h"
#endif
#define CHECK(call) do { cublasStatus_t status = (call); if (status != CUBLAS_STATUS_SUCCESS) return -1; } while (0)
extern "C" int multiply(void) {
    cublasHandle_t handle;
    float alpha = 1.0f, beta = 0.0f, a[1] = { 2.0f }, b[1] = { 3.0f }, c[1];
    CHECK(cublasCreate(&handle));
    CHECK(cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, 1, 1, 1, &alpha, a, CUDA_R_32F, 1, b,
                       CUDA_R_32F, 1, &beta, c, CUDA_R_32F, 1, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    return cublasGetStatusString(CUBLAS_STATUS_SUCCESS)[0] == 's' ? 42 : -2;
}
