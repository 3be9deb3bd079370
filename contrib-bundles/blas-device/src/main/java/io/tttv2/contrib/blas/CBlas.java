package io.tttv2.contrib.blas;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The one CBLAS routine this device calls, bound by JNA to OpenBLAS. */
public interface CBlas extends Library {

    int ROW_MAJOR = 101;
    int NO_TRANS = 111;
    int TRANS = 112;

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, single precision: op(A) [M, K], op(B) [K, N], C [M, N],
     * each addressed by a native pointer and its leading dimension.
     */
    void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, Pointer a, int lda,
                     Pointer b, int ldb, float beta, Pointer c, int ldc);
}
