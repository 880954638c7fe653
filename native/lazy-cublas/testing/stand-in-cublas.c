// The stand-in library: answers as cuBLAS would, and counts the products it was asked for.
#include "cublas_v2.h"
static struct standInContext { int products; } context;
cublasStatus_t cublasCreate_v2(cublasHandle_t * handle) { *handle = &context; return CUBLAS_STATUS_SUCCESS; }
cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                            int m, int n, int k, const void * alpha, const void * A, cudaDataType Atype,
                            int lda, const void * B, cudaDataType Btype, int ldb, const void * beta,
                            void * C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType,
                            cublasGemmAlgo_t algo) {
    (void) transa; (void) transb; (void) A; (void) Atype; (void) lda; (void) B; (void) Btype;
    (void) ldb; (void) beta; (void) C; (void) Ctype; (void) ldc; (void) algo;
    if (handle != &context || alpha == 0 || computeType != CUBLAS_COMPUTE_32F) return CUBLAS_STATUS_NOT_INITIALIZED;
    handle->products += m * n * k;
    return CUBLAS_STATUS_SUCCESS;
}
const char * cublasGetStatusString(cublasStatus_t status) { return status ? "not initialised" : "success"; }
