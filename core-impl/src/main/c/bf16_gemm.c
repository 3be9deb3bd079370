/*
 * The prefill GEMM for BF16 weights: out[M, N] = x[M, K] (F32) * w[N, K]^T (BF16) (+ bias[N] F32), for the
 * output columns [n_from, n_to) of one worker's chunk (M > 16: prompt chunks of up to 512 rows).
 *
 * Order of summation, the same for every output whatever M, the column split or the tiling:
 *   acc = +0.0f
 *   for k = 0 .. K-1 in order: acc = fmaf(x[r, k], float(w[c, k]), acc)     one rounding per step
 *   out[r, c] = acc (+ bias[c], one float addition)
 * float(w) is exact (a BF16 is the upper half of a float), x is never rounded. Each output is one vector lane
 * from start to end; a K block's partial sums go to out and are loaded back for the next block, which keeps
 * the chain. This is the Java PrefillGemm's order too (it carries its lanes the same way).
 *
 * Layout: the lanes run along N. Per block of MC rows of x, K block of KC values and panel of NR = 32 columns,
 * the weights are widened and transposed into pack [KC][32] (F32, 64 KiB, L2; a per-thread buffer), then MR rows
 * of x at a time are multiplied against it: per k, 2 vector loads of pack and MR broadcasts of x feed 2 * MR
 * FMAs into 2 * MR accumulators. x is read in place; its block [MC, KC] (256 KiB) stays in L2 while the panels
 * pass. Each weight is widened once per block of MC rows (once for a prompt chunk of up to 128 rows).
 * Measured one thread, 1B shapes (a C driver, 15 calls, best): KC 512 and MC 128 ahead of KC 128 or 256 and MC 64
 * (KC 128 fell to 25 GFMA/s at K 8192, where x left L2); MR 8 (16 accumulators) 51-55 GFMA/s, ahead of MR 12
 * (47-50), MR 14 (40-43), and 3-vector panels (NR 48, MR 6 or 8: 45-54).
 */
#include <immintrin.h>
#include <stdint.h>

#define NR 32
#define NV (NR / 16)
#define KC 512
#define MC 128
#define MR 8

/* A BF16 as the float it is the upper half of. */
static inline float widen(uint16_t v) {
    union { uint32_t u; float f; } bits = {(uint32_t) v << 16};
    return bits.f;
}

/* pack[kk * 32 + j] = float(w[(c0 + j) * w_row + k0 + kk]) for j < nc, 0 for nc <= j < 32; kk < kc. */
static void pack_panel(const uint16_t *w, int64_t w_row, int64_t c0, int nc, int64_t k0, int kc, float *pack) {
    int j = 0;
    for (; j + 16 <= nc; j += 16) {
        int kk = 0;
        /* 16 rows x 32 values: as dwords (value pairs) a 16 x 16 transpose, then each pair's halves widened */
        for (; kk + 32 <= kc; kk += 32) {
            __m512i r[16], t[16];
            for (int i = 0; i < 16; i++) {
                const uint16_t *at = w + (c0 + j + i) * w_row + k0 + kk;
                r[i] = _mm512_loadu_si512((const void *) at);
            }
            for (int i = 0; i < 16; i += 2) {
                t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
                t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
            }
            /* per 128-bit lane L: r[4g + q] holds rows 4g..4g+3 of dword 4L + q */
            for (int g = 0; g < 4; g++) {
                __m512i *u = t + 4 * g;
                r[4 * g] = _mm512_unpacklo_epi64(u[0], u[2]);
                r[4 * g + 1] = _mm512_unpackhi_epi64(u[0], u[2]);
                r[4 * g + 2] = _mm512_unpacklo_epi64(u[1], u[3]);
                r[4 * g + 3] = _mm512_unpackhi_epi64(u[1], u[3]);
            }
            for (int q = 0; q < 4; q++) {
                __m512i v0 = _mm512_shuffle_i32x4(r[q], r[4 + q], 0x88);        /* lanes 0, 2 of groups 0, 1 */
                __m512i v1 = _mm512_shuffle_i32x4(r[q], r[4 + q], 0xDD);        /* lanes 1, 3 */
                __m512i v2 = _mm512_shuffle_i32x4(r[8 + q], r[12 + q], 0x88);
                __m512i v3 = _mm512_shuffle_i32x4(r[8 + q], r[12 + q], 0xDD);
                /* dword p = 4L + q: rows 0..15 of values 2p, 2p + 1 */
                __m512i d[4];
                d[0] = _mm512_shuffle_i32x4(v0, v2, 0x88);      /* L = 0 */
                d[2] = _mm512_shuffle_i32x4(v0, v2, 0xDD);      /* L = 2 */
                d[1] = _mm512_shuffle_i32x4(v1, v3, 0x88);      /* L = 1 */
                d[3] = _mm512_shuffle_i32x4(v1, v3, 0xDD);      /* L = 3 */
                for (int l = 0; l < 4; l++) {
                    int p = 4 * l + q;
                    float *even = pack + (int64_t) (kk + 2 * p) * NR + j;
                    _mm512_storeu_ps(even, _mm512_castsi512_ps(_mm512_slli_epi32(d[l], 16)));
                    _mm512_storeu_ps(even + NR,
                            _mm512_castsi512_ps(_mm512_and_si512(d[l], _mm512_set1_epi32((int) 0xFFFF0000u))));
                }
            }
        }
        for (; kk < kc; kk++) {
            for (int i = 0; i < 16; i++) {
                pack[kk * NR + j + i] = widen(w[(c0 + j + i) * w_row + k0 + kk]);
            }
        }
    }
    for (; j < NR; j++) {
        for (int kk = 0; kk < kc; kk++) {
            pack[kk * NR + j] = j < nc ? widen(w[(c0 + j) * w_row + k0 + kk]) : 0.0f;
        }
    }
}

/*
 * Rows r0 .. r0+mr-1 of x, K block [k0, k0 + kc), against the packed panel: out[r, c0 .. c0+16 nv) under the masks
 * (nv = 1: a panel of at most 16 columns, whose second vector would be all padding).
 * first: start from 0, else from the partial sums in out; bias: the last block adds it (NULL: none or not last).
 */
static inline __attribute__((always_inline)) void micro(const int mr, const int nv, const float *x, int64_t x_row,
        int64_t k0, int kc, const float *pack, float *out, int64_t out_row, int first, const float *bias,
        const __mmask16 *mask) {
    __m512 a[MR][NV];
    for (int i = 0; i < mr; i++) {
        for (int v = 0; v < nv; v++) {
            a[i][v] = first ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask[v], out + i * out_row + 16 * v);
        }
    }
    const float *xk = x + k0;
    for (int kk = 0; kk < kc; kk++) {
        __m512 w[NV];
        for (int v = 0; v < nv; v++) {
            w[v] = _mm512_loadu_ps(pack + kk * NR + 16 * v);
        }
        for (int i = 0; i < mr; i++) {
            __m512 b = _mm512_set1_ps(xk[i * x_row + kk]);
            for (int v = 0; v < nv; v++) {
                a[i][v] = _mm512_fmadd_ps(b, w[v], a[i][v]);
            }
        }
    }
    for (int v = 0; v < nv; v++) {
        __m512 b = bias != NULL ? _mm512_maskz_loadu_ps(mask[v], bias + 16 * v) : _mm512_setzero_ps();
        for (int i = 0; i < mr; i++) {
            _mm512_mask_storeu_ps(out + i * out_row + 16 * v, mask[v], bias != NULL ? _mm512_add_ps(a[i][v], b) : a[i][v]);
        }
    }
}

/* micro for a run-time mr <= MR and nv <= NV (= 2): each case its own unrolled copy. */
static void micro_rows(int mr, int nv, const float *x, int64_t x_row, int64_t k0, int kc, const float *pack,
        float *out, int64_t out_row, int first, const float *bias, const __mmask16 *mask) {
#define CALL(R, V) micro(R, V, x, x_row, k0, kc, pack, out, out_row, first, bias, mask)
#define CASE(R) case R: \
        if (nv == 2) { CALL(R, 2); } else { CALL(R, 1); } \
        break;
    switch (mr) {
        CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8)
        default: break;
    }
#undef CASE
#undef CALL
}

/*
 * x rows x_row floats apart, w rows w_row values apart, out rows out_row floats apart; bias F32 [N] or NULL.
 * Columns [n_from, n_to) of out, every row.
 */
void tttv2_bf16_gemm(const float *x, int64_t x_row, int64_t m, int64_t k, const uint16_t *w, int64_t w_row,
        int64_t n_from, int64_t n_to, const float *bias, float *out, int64_t out_row) {
    static __thread float pack[KC * NR] __attribute__((aligned(64)));
    for (int64_t rb = 0; rb < m; rb += MC) {
        int64_t re = m - rb < MC ? m : rb + MC;
        for (int64_t k0 = 0; k0 < k; k0 += KC) {
            int kc = k - k0 < KC ? (int) (k - k0) : KC;
            for (int64_t c0 = n_from; c0 < n_to; c0 += NR) {
                int nc = n_to - c0 < NR ? (int) (n_to - c0) : NR;
                __mmask16 mask[NV];
                for (int v = 0; v < NV; v++) {
                    int valid = nc - 16 * v;
                    mask[v] = valid >= 16 ? 0xFFFF : valid <= 0 ? 0 : (__mmask16) ((1u << valid) - 1);
                }
                pack_panel(w, w_row, c0, nc, k0, kc, pack);
                const float *b = k0 + kc == k && bias != NULL ? bias + c0 : NULL;
                for (int64_t r0 = rb; r0 < re; r0 += MR) {
                    int mr = re - r0 < MR ? (int) (re - r0) : MR;
                    micro_rows(mr, (nc + 15) / 16, x + r0 * x_row, x_row, k0, kc, pack, out + r0 * out_row + c0, out_row, k0 == 0,
                            b, mask);
                }
            }
        }
    }
}
