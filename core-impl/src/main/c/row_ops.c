/*
 * Row-wise F32 ops in C, each the same arithmetic as the Java kernel it stands in for, as that kernel runs once
 * C2 has compiled it (16 float lanes, AVX-512): NormKernels.rmsNorm, ElementwiseKernels.binary (ADD, MUL) and
 * .gated (SILU, GELU_TANH), Lanes.widen (BF16/F16 rows to F32). They exist so that the first token of a fresh
 * process does not wait for the interpreter and the JIT compilers on these loops (issue 12); a model's bits stay
 * those of the warm Java kernels.
 *
 * Rules that keep the bits equal (NativeOps.java calls these; the tests compare them with the Java kernels):
 *  - the same operations in the same order: a vector loop over the whole vectors of a row (16 lanes), then the
 *    scalar tail, where Java has one; never a fused multiply-add where Java writes a multiply and an add
 *    (ROW_OPS below turns gcc's contraction off; pom.xml's -ffp-contract=off does too);
 *  - FloatVector.reduceLanes(ADD) is, in C2 on AVX-512, the halving tree of lane_tree16 (lane_tree.h);
 *  - FloatVector.lanewise(EXP / TANH) is, in C2, a call of the JDK's libjsvml (__jsvml_expf16_ha_z0,
 *    __jsvml_tanhf16_ha_z0: __m512 in zmm0, __m512 out): the caller passes that function's address;
 *  - a float division is IEEE in both (vdivps / divss), as is sqrt.
 * Addresses and strides are in floats (elements of the tensor's dtype for w): row r of x starts at
 * x + r * x_row, its element i at + i * x_inner.
 */
#include <math.h>

#include "float_rows.h"
#include "lane_tree.h"

typedef __m512 (*vec_fn)(__m512);

/*
 * dst[0 .. n) = src[from .. from + n) widened to F32, as Lanes.widen: every conversion is exact (float_rows.h),
 * so vector and tail agree. dt: BF16 or F16 (F32 is a copy the caller does).
 */
ROW_OPS void tttv2_widen(int64_t dt, const uint16_t *src, int64_t from, int64_t n, float *dst) {
    src += from;
    int64_t nv = n & ~(int64_t) 15;
    int64_t i = 0;
    if (dt == DT_BF16) {
        for (; i < nv; i += 16) {
            _mm512_storeu_ps(dst + i, bf16_vector(_mm256_loadu_si256((const __m256i *) (src + i))));
        }
    } else {
        for (; i < nv; i += 16) {
            _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (src + i))));
        }
    }
    for (; i < n; i++) {
        dst[i] = read_scalar(src, i, dt);
    }
}

/*
 * NormKernels.rmsNorm over rows [0, rows): x, out [rows, h]; w [h] of dtype w_dt, w_stride elements apart.
 *   gain[i] = float(w[i]) + offset       (Lanes.widen when w_stride is 1, else Lanes.read; then one addition)
 *   unit strides: acc (16 lanes) = fma(x, x, acc) over the whole vectors; ss = lane_tree16(acc); then ss += x * x
 *     over the tail; otherwise ss = 0 and ss += x * x over the row
 *   inv = (float) (1.0 / sqrt((double) (ss / h + eps)))
 *   out[i] = (x[i] * inv) * gain[i]
 * gain is recomputed per row (one conversion and one addition: no scratch row).
 */
ROW_OPS void tttv2_rms_norm(const float *x, int64_t x_row, int64_t x_inner, float *out, int64_t o_row,
                            int64_t o_inner, int64_t rows, int64_t h, const void *w, int64_t w_stride, int64_t w_dt,
                            float eps, float offset) {
    const int unit = x_inner == 1 && o_inner == 1;
    const int64_t hv = unit ? (h & ~(int64_t) 15) : 0;
    const __m512 off = _mm512_set1_ps(offset);
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * x_row;
        float *orow = out + r * o_row;
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < hv; i += 16) {
            __m512 v = _mm512_loadu_ps(xr + i);
            acc = _mm512_fmadd_ps(v, v, acc);
        }
        float ss = unit ? lane_tree16(acc) : 0.0f;
        for (int64_t i = hv; i < h; i++) {
            float v = xr[i * x_inner];
            ss += v * v;
        }
        float inv = (float) (1.0 / sqrt((double) (ss / (float) h + eps)));
        const __m512 vinv = _mm512_set1_ps(inv);
        int64_t i = 0;
        if (hv > 0) {
            for (; i < hv; i += 16) {
                __m512 g = read16(w, i * w_stride, w_stride, w_dt);
                g = _mm512_add_ps(g, off);
                __m512 v = _mm512_loadu_ps(xr + i);
                _mm512_storeu_ps(orow + i, _mm512_mul_ps(_mm512_mul_ps(v, vinv), g));
            }
        }
        for (; i < h; i++) {
            float g = read_scalar(w, i * w_stride, w_dt) + offset;
            orow[i * o_inner] = (xr[i * x_inner] * inv) * g;
        }
    }
}

/*
 * ElementwiseKernels.binary, op one of + and *: the vector loop only where all three have unit inner stride,
 * as in Java (the results are the same either way: one rounding per element).
 */
#define BINARY(name, vec, op)                                                                                    \
    ROW_OPS void name(const float *a, int64_t a_row, int64_t a_inner, const float *b, int64_t b_row,            \
                      int64_t b_inner, float *out, int64_t o_row, int64_t o_inner, int64_t rows, int64_t n) {  \
        const int unit = a_inner == 1 && b_inner == 1 && o_inner == 1;                                         \
        const int64_t nv = unit ? (n & ~(int64_t) 15) : 0;                                                     \
        for (int64_t r = 0; r < rows; r++) {                                                                   \
            const float *ar = a + r * a_row;                                                                   \
            const float *br = b + r * b_row;                                                                   \
            float *orow = out + r * o_row;                                                                     \
            int64_t i = 0;                                                                                     \
            for (; i < nv; i += 16) {                                                                          \
                _mm512_storeu_ps(orow + i, vec(_mm512_loadu_ps(ar + i), _mm512_loadu_ps(br + i)));             \
            }                                                                                                  \
            for (; i < n; i++) {                                                                               \
                orow[i * o_inner] = ar[i * a_inner] op br[i * b_inner];                                        \
            }                                                                                                  \
        }                                                                                                      \
    }

BINARY(tttv2_add, _mm512_add_ps, +)
BINARY(tttv2_mul, _mm512_mul_ps, *)

/*
 * ElementwiseKernels.gated for rows whose width n is a whole number of vectors and unit inner strides (the
 * Java scalar tail evaluates in double with Math.exp / Math.tanh, which C cannot promise to reproduce, so rows
 * with a tail stay in Java). fn: the libjsvml function, exp for SiLU, tanh for tanh-GELU.
 *   SiLU:      out = (g / (exp(-g) + 1)) * u
 *   tanh-GELU: t = tanh((((g * g) * g) * 0.044715f + g) * sqrt(2/pi)); out = (((t + 1) * g) * 0.5f) * u
 */
ROW_OPS void tttv2_silu_gate(const float *g, int64_t g_row, const float *u, int64_t u_row, float *out,
                             int64_t o_row, int64_t rows, int64_t n, int64_t fn) {
    const vec_fn exp16 = (vec_fn) (intptr_t) fn;
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512i sign = _mm512_set1_epi32((int) 0x80000000u);
    for (int64_t r = 0; r < rows; r++) {
        const float *gr = g + r * g_row;
        const float *ur = u + r * u_row;
        float *orow = out + r * o_row;
        for (int64_t i = 0; i < n; i += 16) {
            __m512 gv = _mm512_loadu_ps(gr + i);
            __m512 uv = _mm512_loadu_ps(ur + i);
            __m512 e = exp16(_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(gv), sign)));   /* -g */
            _mm512_storeu_ps(orow + i, _mm512_mul_ps(_mm512_div_ps(gv, _mm512_add_ps(e, one)), uv));
        }
    }
}

ROW_OPS void tttv2_gelu_tanh_gate(const float *g, int64_t g_row, const float *u, int64_t u_row, float *out,
                                  int64_t o_row, int64_t rows, int64_t n, int64_t fn) {
    const vec_fn tanh16 = (vec_fn) (intptr_t) fn;
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512 cubic = _mm512_set1_ps(0.044715f);
    const __m512 half = _mm512_set1_ps(0.5f);
    /* UnaryOp.SQRT_2_OVER_PI: (float) Math.sqrt(2 / Math.PI) */
    const __m512 k = _mm512_set1_ps((float) sqrt(2 / M_PI));
    for (int64_t r = 0; r < rows; r++) {
        const float *gr = g + r * g_row;
        const float *ur = u + r * u_row;
        float *orow = out + r * o_row;
        for (int64_t i = 0; i < n; i += 16) {
            __m512 gv = _mm512_loadu_ps(gr + i);
            __m512 uv = _mm512_loadu_ps(ur + i);
            __m512 inner = _mm512_mul_ps(_mm512_add_ps(_mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(gv, gv), gv), cubic),
                    gv), k);
            __m512 t = tanh16(inner);
            _mm512_storeu_ps(orow + i, _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(_mm512_add_ps(t, one), gv), half),
                    uv));
        }
    }
}
