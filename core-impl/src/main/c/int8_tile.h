/*
 * The register blocks shared by the Q8_0 and Q4_0 kernels: MR rows of x (Q4_0: int8, Q8_0: int16; int8_rows.h)
 * against NR rows of w (GGUF blocks, read in place). Decode (M < 4): MR <= 3, NR <= 4, one __m256 accumulator per
 * output. Prefill: MR <= 4, NR <= 8, one __m512 per two outputs (w rows j, j + 1 in its lower and upper halves,
 * each half the 8 lanes a __m256 would hold, so every output gets the same bits either way).
 *
 * Order of summation, the same for every output whatever MR, NR, M or the column split (so a row's result
 * does not depend on how many rows were computed with it):
 *   acc = 0 (8 float lanes)
 *   for each block b in order: s = block_dot(w[b], x[b])                  exact int32 lanes (block_dot below)
 *                              acc = fma(float(s), d_w[b] * d_x[b], acc)  the scale one float product
 *   out = hsum8(acc)
 */
#ifndef TTTV2_INT8_TILE_H
#define TTTV2_INT8_TILE_H

#include "int8_rows.h"

#define FMT_Q8_0 0
#define FMT_Q4_0 1

/* Bytes per block of w: [d: f16][32 int8] or [d: f16][16 bytes, value j low nibble of byte j, j+16 high]. */
#define BLOCK_BYTES(fmt) ((fmt) == FMT_Q8_0 ? 34 : 18)

/* A Q4_0 block's 32 nibbles as u8 0..15, in value order. */
static inline __attribute__((always_inline)) __m256i q4_0_nibbles(const uint8_t *block) {
    /* the 16 bytes in both halves (one broadcast load), the upper half shifted right by 4, then the low nibbles:
       values 0..15 in the lower half, 16..31 in the upper */
    __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) (block + 2)));
    __m256i shifted = _mm256_srlv_epi64(both, _mm256_set_epi64x(4, 4, 0, 0));
    return _mm256_and_si256(shifted, _mm256_set1_epi8(0x0F));
}

/* One block of a weight row, as the dot product wants it: Q4_0 one vector of u8 (a); Q8_0 two of int16 (a, b). */
typedef struct {
    __m256i a, b;
} wblock;

/* One block of a row of x: Q4_0 int8 q (a) and its lane correction (b); Q8_0 int16 q, values 0..15 (a), 16..31 (b). */
typedef struct {
    __m256i a, b;
} xblock;

static inline __attribute__((always_inline)) wblock load_w(const int fmt, const uint8_t *block) {
    wblock w;
    if (fmt == FMT_Q8_0) {
        w.a = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *) (block + 2)));
        w.b = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *) (block + 18)));
    } else {
        w.a = q4_0_nibbles(block);
        w.b = _mm256_setzero_si256();
    }
    return w;
}

/* Block b of row i of the scratch (x_rows.h layouts). */
static inline __attribute__((always_inline)) xblock load_x(const int fmt, const uint8_t *scratch, int64_t m,
        int64_t k, int64_t row, int64_t b) {
    xblock x;
    if (fmt == FMT_Q8_0) {
        const int16_t *q = int16_q(scratch, m, k, row) + b * TTTV2_BLOCK;
        x.a = _mm256_loadu_si256((const __m256i *) q);
        x.b = _mm256_loadu_si256((const __m256i *) (q + 16));
    } else {
        x.a = _mm256_loadu_si256((const __m256i *) (int8_q(scratch, m, k, row) + b * TTTV2_BLOCK));
        x.b = _mm256_loadu_si256((const __m256i *) (int8_corr(scratch, m, k, row) + b * 8));
    }
    return x;
}

/*
 * The exact int32 lanes of one block's dot product. Q4_0: vpdpbusd(corr, u, q), lane l = values 4l..4l+3.
 * Q8_0: two vpdpwssd, lane l = values 2l, 2l+1, 16+2l, 17+2l (|sum| < 4 * 128 * 32767 < 2^24: exact as float).
 */
static inline __attribute__((always_inline)) __m256i block_dot(const int fmt, wblock w, xblock x) {
    if (fmt == FMT_Q8_0) {
        return _mm256_dpwssd_epi32(_mm256_dpwssd_epi32(_mm256_setzero_si256(), w.a, x.a), w.b, x.b);
    }
    return _mm256_dpbusd_epi32(x.b, w.a, x.a);
}

/* Decode reads 4 weight rows as 4 streams; each is prefetched this far ahead (measured: 512 and 1024 bytes both
   took 10-15 % off M = 1, 1024 a little more for Q8_0; 2048 and 4096 were slower). */
#define PREFETCH_BYTES 1024

/* Two weight rows' blocks in one register: row j in the lower 256 bits, row j + 1 in the upper. */
typedef struct {
    __m512i a, b;
} wpair;

/* One block of a row of x in both halves (Q4_0: q and its lane correction; Q8_0: values 0..15 and 16..31). */
typedef struct {
    __m512i a, b;
} xwide;

/* load_w for two rows at once, in zmm: composing two load_w and an insert measured slower at small M (the panel's
   unpacking is amortised over only M rows; M = 17: 0.64 against 0.65-0.83 ms). */
static inline __attribute__((always_inline)) wpair load_w_pair(const int fmt, const uint8_t *lo, const uint8_t *hi) {
    wpair w;
    if (fmt == FMT_Q8_0) {
        /* values 0..15 of both rows, then 16..31, sign-extended to int16 */
        w.a = _mm512_cvtepi8_epi16(_mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *) (lo + 2))),
                _mm_loadu_si128((const __m128i *) (hi + 2)), 1));
        w.b = _mm512_cvtepi8_epi16(_mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *) (lo + 18))),
                _mm_loadu_si128((const __m128i *) (hi + 18)), 1));
    } else {
        /* each row's 16 bytes twice (broadcast loads), the second copy shifted right by 4, then the low nibbles:
           as q4_0_nibbles, per half */
        __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(
                _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) (lo + 2)))),
                _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) (hi + 2))), 1);
        __m512i shifted = _mm512_srlv_epi64(both, _mm512_set_epi64(4, 4, 0, 0, 4, 4, 0, 0));
        w.a = _mm512_and_si512(shifted, _mm512_set1_epi8(0x0F));
        w.b = _mm512_setzero_si512();
    }
    return w;
}

static inline __attribute__((always_inline)) xwide load_x_wide(const int fmt, const uint8_t *scratch, int64_t m,
        int64_t k, int64_t row, int64_t b) {
    xblock x = load_x(fmt, scratch, m, k, row, b);
    xwide v;
    v.a = _mm512_broadcast_i64x4(x.a);
    v.b = _mm512_broadcast_i64x4(x.b);
    return v;
}

/* block_dot on both halves at once: the same exact int32 lanes. */
static inline __attribute__((always_inline)) __m512i block_dot_wide(const int fmt, wpair w, xwide x) {
    if (fmt == FMT_Q8_0) {
        return _mm512_dpwssd_epi32(_mm512_dpwssd_epi32(_mm512_setzero_si512(), w.a, x.a), w.b, x.b);
    }
    return _mm512_dpbusd_epi32(x.b, w.a, x.a);
}

/* Two floats, each in one half of a __m512 (no AVX-512 DQ needed). */
static inline __attribute__((always_inline)) __m512 halves(__m256 lo, __m256 hi) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(lo)), _mm256_castps_pd(hi), 1));
}

/* Prefill's panels: the weight blocks of 8 columns (4 pairs) unpacked once and read by every row of x. Stack: 32 KB
   of pairs (Q4_0 reads only their first vectors), 16 KB of scales, and the accumulators of PASS_ROWS rows, 16 KB. */
#define PANEL_BLOCKS 64
#define PASS_ROWS 64

/*
 * acc[i][p] += the sums over blocks b0 .. b0 + count of row row0 + i of x (i < mr) and the weight pair p (np
 * pairs), as unpacked in pw and pdw (their block scales d_w, in halves); acc zeroed first when first is set. x
 * from the scratch (int8_rows.h; m rows in all). The scale of an output's block is d_w * d_x, one float product,
 * as in decode.
 */
static inline __attribute__((always_inline)) void int8_tile(const int fmt, const int mr, const int np,
        int64_t count, int first, __m512 acc[4][4], const uint8_t *scratch, int64_t m, int64_t row0, int64_t k,
        int64_t b0, const wpair pw[][4], const __m512 pdw[][4]) {
    const float *d = x_d(scratch, m, k, row0);
    __m512 a[4][4];
    for (int i = 0; i < mr; i++) {
        for (int p = 0; p < np; p++) {
            a[i][p] = first ? _mm512_setzero_ps() : acc[i][p];
        }
    }
    for (int64_t bb = 0; bb < count; bb++) {
        int64_t b = b0 + bb;
        for (int i = 0; i < mr; i++) {
            xwide xb = load_x_wide(fmt, scratch, m, k, row0 + i, b);
            __m512 dx = _mm512_set1_ps(d[i * (k / TTTV2_BLOCK) + b]);
            for (int p = 0; p < np; p++) {
                __m512i s = block_dot_wide(fmt, pw[bb][p], xb);
                a[i][p] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(pdw[bb][p], dx), a[i][p]);
            }
        }
    }
    for (int i = 0; i < mr; i++) {
        for (int p = 0; p < np; p++) {
            acc[i][p] = a[i][p];
        }
    }
}

/*
 * Decode (M < 4): MR rows of x against 4 weight rows, one __m256 per output, each block's scales widened and
 * multiplied in the loop (the same float product as int8_tile's, so the same bits).
 * ahead: the first byte of the next group of 4 weight rows, prefetched into L2 a little per block (prefetches
 * never fault, so past the last group is harmless). Without it every group began with 4 misses to memory: the
 * 1B's Q4_0 decode ran at 15 GB/s, 27 tokens/s; with it 46-48 (Q8_0 20 -> 29-36).
 */
static inline __attribute__((always_inline)) void int8_tile_few_rows(const int fmt, const int mr, const int nr,
        int64_t blocks, const uint8_t *scratch, int64_t m, int64_t k, const uint8_t *w, int64_t w_row_bytes,
        const uint8_t *ahead, float *res) {
    const float *d = x_d(scratch, m, k, 0);
    __m256 acc[4][4];
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            acc[i][j] = _mm256_setzero_ps();
        }
    }
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *wb = w + b * BLOCK_BYTES(fmt);
        wblock u[4];
        __m256 dw[4];
        /* the next group of 4 rows (4 · w_row_bytes contiguous bytes) into L2, spread over this group's blocks */
        for (int o = 0; o < 4 * BLOCK_BYTES(fmt); o += 64) {
            _mm_prefetch((const char *) (ahead + b * 4 * BLOCK_BYTES(fmt) + o), _MM_HINT_T1);
        }
        for (int j = 0; j < nr; j++) {
            _mm_prefetch((const char *) (wb + j * w_row_bytes + PREFETCH_BYTES), _MM_HINT_T0);
            u[j] = load_w(fmt, wb + j * w_row_bytes);
            dw[j] = _mm256_set1_ps(_cvtsh_ss(*(const uint16_t *) (wb + j * w_row_bytes)));
        }
        for (int i = 0; i < mr; i++) {
            xblock xb = load_x(fmt, scratch, m, k, i, b);
            __m256 dx = _mm256_broadcast_ss(d + i * (k / TTTV2_BLOCK) + b);
            for (int j = 0; j < nr; j++) {
                __m256i s = block_dot(fmt, u[j], xb);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_mul_ps(dw[j], dx), acc[i][j]);
            }
        }
    }
    for (int i = 0; i < mr; i++) {
        for (int j = 0; j < nr; j++) {
            res[i * 4 + j] = hsum8(acc[i][j]);
        }
    }
}

/* Decode: out[r, c] for r < m < 4, n_from <= c < n_to, 4 weight rows at a time (4 independent sums). */
static inline __attribute__((always_inline)) void int8_matmul_few_rows(const int fmt, const uint8_t *scratch,
        int64_t m, int64_t k, const uint8_t *w, int64_t w_row_bytes, int64_t n_from, int64_t n_to, float *out,
        int64_t out_row) {
    const int64_t blocks = k / TTTV2_BLOCK;
    for (int64_t c = n_from; c < n_to; c += 4) {
        int nr = n_to - c < 4 ? (int) (n_to - c) : 4;
        const uint8_t *wc = w + c * w_row_bytes;
        float res[16];
        switch ((int) m * 8 + nr) {
#define TILE_CASE(MR, NR) case MR * 8 + NR: \
            int8_tile_few_rows(fmt, MR, NR, blocks, scratch, m, k, wc, w_row_bytes, wc + 4 * w_row_bytes, res); break;
            TILE_CASE(1, 1) TILE_CASE(1, 2) TILE_CASE(1, 3) TILE_CASE(1, 4)
            TILE_CASE(2, 1) TILE_CASE(2, 2) TILE_CASE(2, 3) TILE_CASE(2, 4)
            TILE_CASE(3, 1) TILE_CASE(3, 2) TILE_CASE(3, 3) TILE_CASE(3, 4)
#undef TILE_CASE
            default: break;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < nr; j++) {
                out[i * out_row + c + j] = res[i * 4 + j];
            }
        }
    }
}

/*
 * The whole call for one thread's columns: out[r, c] for r < m and n_from <= c < n_to. Columns in groups of 8,
 * K in panels of PANEL_BLOCKS: a panel of the group's weights is unpacked once (pairs and scales) and stays in L1
 * while up to PASS_ROWS rows of x pass it, 4 at a time; their accumulators wait on the stack between panels.
 * w: row 0 of w; out: out[0, 0], rows out_row floats apart.
 */
static inline __attribute__((always_inline)) void int8_matmul(const int fmt, const uint8_t *scratch, int64_t m,
        int64_t k, const uint8_t *w, int64_t w_row_bytes, int64_t n_from, int64_t n_to, float *out,
        int64_t out_row) {
    if (m < 4) {
        int8_matmul_few_rows(fmt, scratch, m, k, w, w_row_bytes, n_from, n_to, out, out_row);
        return;
    }
    const int64_t blocks = k / TTTV2_BLOCK;
    wpair pw[PANEL_BLOCKS][4] __attribute__((aligned(64)));
    __m512 pdw[PANEL_BLOCKS][4] __attribute__((aligned(64)));
    __m512 acc[PASS_ROWS / 4][4][4] __attribute__((aligned(64)));
    for (int64_t c = n_from; c < n_to; c += 8) {
        int nr = n_to - c < 8 ? (int) (n_to - c) : 8;
        int np = (nr + 1) / 2;
        const uint8_t *wc = w + c * w_row_bytes;
        for (int64_t r0 = 0; r0 < m; r0 += PASS_ROWS) {
            int64_t rows = m - r0 < PASS_ROWS ? m - r0 : PASS_ROWS;
            for (int64_t b0 = 0; b0 < blocks; b0 += PANEL_BLOCKS) {
                int64_t count = blocks - b0 < PANEL_BLOCKS ? blocks - b0 : PANEL_BLOCKS;
                for (int64_t bb = 0; bb < count; bb++) {
                    const uint8_t *wb = wc + (b0 + bb) * BLOCK_BYTES(fmt);
                    for (int p = 0; p < np; p++) {
                        /* an odd last row is paired with itself; the copy's results are dropped */
                        const uint8_t *lo = wb + 2 * p * w_row_bytes;
                        const uint8_t *hi = 2 * p + 1 < nr ? lo + w_row_bytes : lo;
                        pw[bb][p] = load_w_pair(fmt, lo, hi);
                        pdw[bb][p] = halves(_mm256_set1_ps(_cvtsh_ss(*(const uint16_t *) lo)),
                                _mm256_set1_ps(_cvtsh_ss(*(const uint16_t *) hi)));
                    }
                }
                for (int64_t r = 0; r < rows; r += 4) {
                    int mr = rows - r < 4 ? (int) (rows - r) : 4;
                    /* one specialised block per shape: the loops unroll, the accumulators live in registers */
                    switch (mr * 8 + np) {
#define TILE_CASE(MR, NP) case MR * 8 + NP: \
                    int8_tile(fmt, MR, NP, count, b0 == 0, acc[r / 4], scratch, m, r0 + r, k, b0, pw, pdw); break;
                    TILE_CASE(1, 1) TILE_CASE(1, 2) TILE_CASE(1, 3) TILE_CASE(1, 4)
                    TILE_CASE(2, 1) TILE_CASE(2, 2) TILE_CASE(2, 3) TILE_CASE(2, 4)
                    TILE_CASE(3, 1) TILE_CASE(3, 2) TILE_CASE(3, 3) TILE_CASE(3, 4)
                    TILE_CASE(4, 1) TILE_CASE(4, 2) TILE_CASE(4, 3) TILE_CASE(4, 4)
#undef TILE_CASE
                    default: break;
                    }
                }
            }
            for (int64_t r = 0; r < rows; r++) {
                for (int j = 0; j < nr; j++) {
                    __m512 v = acc[r / 4][r % 4][j / 2];
                    __m256 half = (j & 1) ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))
                                          : _mm512_castps512_ps256(v);
                    out[(r0 + r) * out_row + c + j] = hsum8(half);
                }
            }
        }
    }
}

#endif
