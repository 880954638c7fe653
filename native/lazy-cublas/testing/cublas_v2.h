// A stand-in for CUDA's cublas_v2.h with its shape: C declarations, _v2 names behind macros, and a
// C++ overload beside a C function (as cuBLAS declares for cublasGemmEx). Only what the
// lazy-cuBLAS test calls.
#pragma once
#define CUBLAS_VER_MAJOR 99
#define CUBLASWINAPI
typedef struct standInContext * cublasHandle_t;
typedef enum { CUBLAS_STATUS_SUCCESS = 0, CUBLAS_STATUS_NOT_INITIALIZED = 1 } cublasStatus_t;
typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 } cublasOperation_t;
typedef enum { CUDA_R_32F = 0, CUDA_R_16F = 2 } cudaDataType;
typedef enum { CUBLAS_COMPUTE_32F = 68 } cublasComputeType_t;
typedef enum { CUBLAS_GEMM_DEFAULT = -1 } cublasGemmAlgo_t;
#ifdef __cplusplus
extern "C" {
#endif
cublasStatus_t CUBLASWINAPI cublasCreate_v2(cublasHandle_t * handle);
cublasStatus_t CUBLASWINAPI cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa,
                                         cublasOperation_t transb, int m, int n, int k,
                                         const void * alpha, const void * A, cudaDataType Atype,
                                         int lda, const void * B, cudaDataType Btype, int ldb,
                                         const void * beta, void * C, cudaDataType Ctype, int ldc,
                                         cublasComputeType_t computeType, cublasGemmAlgo_t algo);
const char * CUBLASWINAPI cublasGetStatusString(cublasStatus_t status);
#ifdef __cplusplus
}
static inline cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa,
                                          cublasOperation_t transb, int m, int n, int k,
                                          const void * alpha, const void * A, cudaDataType Atype,
                                          int lda, const void * B, cudaDataType Btype, int ldb,
                                          const void * beta, void * C, cudaDataType Ctype, int ldc,
                                          cudaDataType computeType, cublasGemmAlgo_t algo) {
    return cublasGemmEx(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta,
                        C, Ctype, ldc, (cublasComputeType_t) (computeType + 68), algo);
}
#endif
#define cublasCreate cublasCreate_v2
