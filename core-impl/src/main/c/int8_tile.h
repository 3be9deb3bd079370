/*
 * The register block shared by the Q8_0 and Q4_0 kernels: MR rows of x (int8, int8_rows.h) against NR rows of
 * w (GGUF blocks, read in place), MR, NR <= 4, one __m256 accumulator per output.
 *
 * Order of summation, the same for every output whatever MR, NR, M or the column split (so a row's result
 * does not depend on how many rows were computed with it):
 *   acc = 0 (8 float lanes)
 *   for each block b in order: s = vpdpbusd(corr[b], u[b], q[b])          exact int32, lane l = values 4l..4l+3
 *                              acc = fma(float(s), d_w[b] * d_x[b], acc)  scale rounded once, one fma per lane
 *   out = hsum8(acc)
 */
#ifndef TTTV2_INT8_TILE_H
#define TTTV2_INT8_TILE_H

#include "int8_rows.h"

#define FMT_Q8_0 0
#define FMT_Q4_0 1

/* Bytes per block of w: [d: f16][32 int8] or [d: f16][16 bytes, value j low nibble of byte j, j+16 high]. */
#define BLOCK_BYTES(fmt) ((fmt) == FMT_Q8_0 ? 34 : 18)

static inline __attribute__((always_inline)) __m256i weight_bytes(const int fmt, const uint8_t *block) {
    if (fmt == FMT_Q8_0) {
        /* w + 128 as u8: flipping the sign bit */
        return _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) (block + 2)), _mm256_set1_epi8((char) 0x80));
    }
    __m128i packed = _mm_loadu_si128((const __m128i *) (block + 2));
    __m128i mask = _mm_set1_epi8(0x0F);
    __m128i lo = _mm_and_si128(packed, mask);
    __m128i hi = _mm_and_si128(_mm_srli_epi16(packed, 4), mask);
    return _mm256_set_m128i(hi, lo);
}

static inline __attribute__((always_inline)) float weight_scale(const uint8_t *block) {
    return _cvtsh_ss(*(const uint16_t *) block);
}

/*
 * out[i][j] = sum over blocks of row i of x and row j of w, i < mr, j < nr. x rows: q[i], corr[i], d[i];
 * w rows: w[j] (byte pointers to their first block); results to dst[i][j].
 */
static inline __attribute__((always_inline)) void int8_tile(const int fmt, const int mr, const int nr,
        int64_t blocks, const int8_t *const *q, const int32_t *const *corr, const float *const *d,
        const uint8_t *const *w, float *const *dst) {
    __m256 acc[4][4];
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            acc[i][j] = _mm256_setzero_ps();
        }
    }
    for (int64_t b = 0; b < blocks; b++) {
        __m256i u[4];
        __m256 dw[4];
        for (int j = 0; j < nr; j++) {
            const uint8_t *block = w[j] + b * BLOCK_BYTES(fmt);
            u[j] = weight_bytes(fmt, block);
            dw[j] = _mm256_set1_ps(weight_scale(block));
        }
        for (int i = 0; i < mr; i++) {
            __m256i xq = _mm256_loadu_si256((const __m256i *) (q[i] + b * TTTV2_BLOCK));
            __m256i c = _mm256_loadu_si256((const __m256i *) (corr[i] + b * 8));
            __m256 dx = _mm256_broadcast_ss(d[i] + b);
            for (int j = 0; j < nr; j++) {
                __m256i s = _mm256_dpbusd_epi32(c, u[j], xq);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_mul_ps(dw[j], dx), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            dst[i][j] = hsum8(acc[i][j]);
        }
    }
}

/*
 * The whole call for one thread's columns: out[r, c] for r < m and n_from <= c < n_to. Columns in groups of 4
 * (the weight rows of a group stay in L1 while every row of x passes them), rows of x in groups of 4.
 * w: row 0 of w; out: out[0, 0], rows out_row floats apart.
 */
static inline __attribute__((always_inline)) void int8_matmul(const int fmt, const uint8_t *scratch, int64_t m,
        int64_t k, const uint8_t *w, int64_t w_row_bytes, int64_t n_from, int64_t n_to, float *out,
        int64_t out_row) {
    const int64_t blocks = k / TTTV2_BLOCK;
    for (int64_t c = n_from; c < n_to; c += 4) {
        int nr = n_to - c < 4 ? (int) (n_to - c) : 4;
        const uint8_t *wr[4];
        for (int j = 0; j < 4; j++) {
            wr[j] = w + (c + (j < nr ? j : nr - 1)) * w_row_bytes;
        }
        for (int64_t r = 0; r < m; r += 4) {
            int mr = m - r < 4 ? (int) (m - r) : 4;
            const int8_t *q[4];
            const int32_t *corr[4];
            const float *d[4];
            for (int i = 0; i < 4; i++) {
                int64_t row = r + (i < mr ? i : mr - 1);
                q[i] = int8_q(scratch, m, k, row);
                corr[i] = int8_corr(scratch, m, k, row);
                d[i] = int8_d(scratch, m, k, row);
            }
            float res[4][4];
            float *dst[4] = {res[0], res[1], res[2], res[3]};
            /* one specialised block per shape: the loops above unroll, the accumulators live in registers */
            switch (mr * 8 + nr) {
#define TILE_CASE(MR, NR) case MR * 8 + NR: int8_tile(fmt, MR, NR, blocks, q, corr, d, wr, dst); break;
                TILE_CASE(1, 1) TILE_CASE(1, 2) TILE_CASE(1, 3) TILE_CASE(1, 4)
                TILE_CASE(2, 1) TILE_CASE(2, 2) TILE_CASE(2, 3) TILE_CASE(2, 4)
                TILE_CASE(3, 1) TILE_CASE(3, 2) TILE_CASE(3, 3) TILE_CASE(3, 4)
                TILE_CASE(4, 1) TILE_CASE(4, 2) TILE_CASE(4, 3) TILE_CASE(4, 4)
#undef TILE_CASE
                default: break;
            }
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < nr; j++) {
                    out[(r + i) * out_row + c + j] = res[i][j];
                }
            }
        }
    }
}

#endif
