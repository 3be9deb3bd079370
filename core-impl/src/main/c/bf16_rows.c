/*
 * out [M, N] = x [M, K] · w [N, K]ᵀ for BF16 weights read in place and few rows of x (M <= 16: decode steps,
 * served batches, short prompts). K a multiple of 32 (the Java caller falls back to its own loops otherwise).
 * Arithmetic stays F32: each weight is widened exactly (bf16 << 16), x is not rounded.
 *
 * x is first put in split order (tttv2_bf16_rows_split, once per call, before the columns are split over
 * threads): per chunk of 32 values, the 16 even ones then the 16 odd ones, so one 64-byte load of w gives two
 * F32 vectors with two instructions: even = w << 16 and odd = w & 0xFFFF0000 (per 32-bit lane).
 *
 * Order of summation, the same for every output whatever M, the register block or the column split (so a row's
 * bits do not depend on what else is in its batch):
 *   acc = 0 (16 float lanes)
 *   for each chunk c of 32 in order, lane l:  acc[l] = fma(w[32c + 2l + 1], x[32c + 2l + 1],
 *                                                          fma(w[32c + 2l], x[32c + 2l], acc[l]))
 *   out = lane_tree16(acc): s8[i] = acc[i] + acc[i + 8]; s4[i] = s8[i] + s8[i + 4]; s2[i] = s4[i] + s4[i + 2];
 *         out = s2[0] + s2[1]
 * (the bias, if any, is added after, by the caller).
 */
#include <immintrin.h>
#include <stdint.h>

#include "lane_tree.h"

#define BF16_CHUNK 32

/* Bytes ahead of the current chunk that each weight row is prefetched into L1 (see bf16_tile). */
#ifndef BF16_PREFETCH_BYTES
#define BF16_PREFETCH_BYTES 1024
#endif

/* x [M, K] F32, rows x_row floats apart, into xs [M, K] in split order (header comment). */
void tttv2_bf16_rows_split(const float *x, int64_t x_row, int64_t m, int64_t k, float *xs) {
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    for (int64_t r = 0; r < m; r++) {
        const float *xr = x + r * x_row;
        float *sr = xs + r * k;
        for (int64_t c = 0; c < k; c += BF16_CHUNK) {
            __m512 a = _mm512_loadu_ps(xr + c);
            __m512 b = _mm512_loadu_ps(xr + c + 16);
            _mm512_storeu_ps(sr + c, _mm512_permutex2var_ps(a, even, b));
            _mm512_storeu_ps(sr + c + 16, _mm512_permutex2var_ps(a, odd, b));
        }
    }
}

/*
 * res[i * 4 + j] = row i of xs · row j of w, i < mr, j < nr (mr, nr <= 4): one __m512 accumulator per output
 * (16 of them, 8 widened weight vectors, 2 of x: 26 of the 32 registers), so each weight vector widened feeds
 * mr FMAs and each x vector nr. xs: the block's first row (rows k floats apart); w: its first row (rows w_row
 * elements apart).
 *
 * Prefetch (decode streams the weights from memory): each row BF16_PREFETCH_BYTES ahead into L1, and, if ahead
 * is not null, the next group of 4 rows (4 · 2K contiguous bytes from ahead) into L2, 256 bytes per chunk, so
 * that group does not begin with 4 misses to memory (the int8 kernels' lesson, int8_tile.h).
 */
static inline __attribute__((always_inline)) void bf16_tile(const int mr, const int nr, int64_t chunks,
        const float *xs, int64_t k, const uint16_t *w, int64_t w_row, const char *ahead, float *res) {
    const __m512i high = _mm512_set1_epi32((int) 0xFFFF0000u);
    __m512 acc[4][4];
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            acc[i][j] = _mm512_setzero_ps();
        }
    }
    for (int64_t c = 0; c < chunks; c++) {
        if (ahead != 0) {
            for (int o = 0; o < 4 * 64; o += 64) {
                _mm_prefetch(ahead + c * 4 * 64 + o, _MM_HINT_T1);
            }
        }
        __m512 we[4], wo[4];
        for (int j = 0; j < nr; j++) {
            const uint16_t *p = w + j * w_row + c * BF16_CHUNK;
            _mm_prefetch((const char *) p + BF16_PREFETCH_BYTES, _MM_HINT_T0);
            __m512i u = _mm512_loadu_si512((const void *) p);
            we[j] = _mm512_castsi512_ps(_mm512_slli_epi32(u, 16));
            wo[j] = _mm512_castsi512_ps(_mm512_and_si512(u, high));
        }
        for (int i = 0; i < mr; i++) {
            __m512 xe = _mm512_loadu_ps(xs + i * k + c * BF16_CHUNK);
            __m512 xo = _mm512_loadu_ps(xs + i * k + c * BF16_CHUNK + 16);
            for (int j = 0; j < nr; j++) {
                acc[i][j] = _mm512_fmadd_ps(wo[j], xo, _mm512_fmadd_ps(we[j], xe, acc[i][j]));
            }
        }
    }
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            res[i * 4 + j] = lane_tree16(acc[i][j]);
        }
    }
}

/*
 * out[r, c] for r < m (m <= 16) and n_from <= c < n_to. xs: the split x [M, K]; w: row 0 of w (BF16, rows w_row
 * elements apart); out: out[0, 0], rows out_row floats apart. Columns in groups of 4 rows of w; for each, the rows
 * of x in blocks of 4 (the group's rows stay in L1/L2 while later blocks pass them). Only the first block
 * prefetches the next group: later blocks find the weights in cache.
 */
void tttv2_bf16_rows_matmul(const float *xs, int64_t m, int64_t k, const uint16_t *w, int64_t w_row,
        int64_t n_from, int64_t n_to, float *out, int64_t out_row) {
    const int64_t chunks = k / BF16_CHUNK;
    for (int64_t c = n_from; c < n_to; c += 4) {
        int nr = n_to - c < 4 ? (int) (n_to - c) : 4;
        const uint16_t *wc = w + c * w_row;
        const char *ahead = (const char *) (wc + 4 * w_row);
        for (int64_t r = 0; r < m; r += 4) {
            int mr = m - r < 4 ? (int) (m - r) : 4;
            const char *pf = r == 0 ? ahead : 0;
            float res[16];
            /* one specialised block per shape: the loops above unroll, the accumulators live in registers */
            switch (mr * 8 + nr) {
#define TILE_CASE(MR, NR) case MR * 8 + NR: \
                bf16_tile(MR, NR, chunks, xs + r * k, k, wc, w_row, pf, res); break;
                TILE_CASE(1, 1) TILE_CASE(1, 2) TILE_CASE(1, 3) TILE_CASE(1, 4)
                TILE_CASE(2, 1) TILE_CASE(2, 2) TILE_CASE(2, 3) TILE_CASE(2, 4)
                TILE_CASE(3, 1) TILE_CASE(3, 2) TILE_CASE(3, 3) TILE_CASE(3, 4)
                TILE_CASE(4, 1) TILE_CASE(4, 2) TILE_CASE(4, 3) TILE_CASE(4, 4)
#undef TILE_CASE
                default: break;
            }
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < nr; j++) {
                    out[(r + i) * out_row + c + j] = res[i * 4 + j];
                }
            }
        }
    }
}
