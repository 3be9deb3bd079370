/*
 * The opt-in BF16 matmul precision (-Dtttv2.matmul.precision=bf16, --matmul-precision bf16):
 * out [M, N] = bf16(x) [M, K] · w [N, K]ᵀ for BF16 weights read in place, any M, any K. Each value of x is
 * rounded to BF16 once per call (tttv2_bf16dot_round), then VDPBF16PS multiplies 32 BF16 pairs per instruction
 * and accumulates in F32: twice the multiply-adds of an F32 FMA, and no widening of the weights.
 *
 * Every function carries target("avx512bf16"): the library is compiled for AVX-512 F/BW/VL/VNNI only, so it
 * still loads on CPUs without BF16; the Java side calls these only where /proc/cpuinfo lists avx512_bf16.
 *
 * Arithmetic (Intel SDM, VCVTNE2PS2BF16 and VDPBF16PS; Zen 4 measured identical, see Bf16DotModel):
 *   bf16(v): NaN -> its upper half with the quiet bit set; F32 subnormal -> signed zero; else round to nearest
 *            even on the upper 16 bits.
 *   per 32-bit lane l of a 64-byte chunk (elements 2l, 2l + 1), inputs subnormal -> 0 (DAZ, accumulator too),
 *   each step's result subnormal -> 0 (FTZ), round to nearest even:
 *            acc[l] = acc[l] + x[2l + 1] · w[2l + 1];  acc[l] = acc[l] + x[2l] · w[2l]
 *   (the product of two BF16 values is exact in F32, so each step rounds once.)
 *
 * Order of summation, the same for every output whatever M, the register block, the panel or the column split
 * (a served row's bits do not depend on its batch, and a prompt's rows match its decode steps):
 *   acc = 0 (16 lanes); chunks of 32 in order, the last one zero-padded past K; out = lane_tree16(acc), the tree
 *   s8[i] = acc[i] + acc[i + 8]; s4[i] = s8[i] + s8[i + 4]; s2[i] = s4[i] + s4[i + 2]; out = s2[0] + s2[1]
 *   (plain F32 adds: the MXCSR default, no FTZ). The bias, if any, is added after, by the caller.
 */
#include <immintrin.h>
#include <stdint.h>

#include "lane_tree.h"

#define DOT_CHUNK 32

/* Bytes ahead of the current chunk that each weight row is prefetched into L1 (bf16_rows.c's figure). */
#ifndef DOT_PREFETCH_BYTES
#define DOT_PREFETCH_BYTES 1024
#endif

/* Bytes of rounded x one panel of rows may take: the panel stays in L2 while the weights stream past it. */
#define DOT_PANEL_BYTES (256 * 1024)

#define DOT_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

/* K rounded up to whole chunks: the row length of the rounded x. */
static inline int64_t dot_padded(int64_t k) {
    return (k + DOT_CHUNK - 1) / DOT_CHUNK * DOT_CHUNK;
}

/*
 * x [M, K] F32 (rows x_row floats apart) into xb [M, Kp] BF16, Kp = K rounded up to 32, the tail zero: once per
 * call, on the calling thread, before the columns are split over threads.
 */
DOT_TARGET void tttv2_bf16dot_round(const float *x, int64_t x_row, int64_t m, int64_t k, uint16_t *xb) {
    const int64_t kp = dot_padded(k);
    for (int64_t r = 0; r < m; r++) {
        const float *xr = x + r * x_row;
        uint16_t *br = xb + r * kp;
        for (int64_t c = 0; c < kp; c += DOT_CHUNK) {
            int64_t left = k - c;
            __mmask16 lo = left >= 16 ? 0xFFFF : left <= 0 ? 0 : (__mmask16) ((1u << left) - 1);
            __mmask16 hi = left >= 32 ? 0xFFFF : left <= 16 ? 0 : (__mmask16) ((1u << (left - 16)) - 1);
            __m512 a = _mm512_maskz_loadu_ps(lo, xr + c);
            __m512 b = _mm512_maskz_loadu_ps(hi, xr + c + 16);
            _mm512_storeu_si512((void *) (br + c), (__m512i) _mm512_cvtne2ps_pbh(b, a));
        }
    }
}

/*
 * res[i * 4 + j] = row i of xb · row j of w, i < mr, j < nr (mr, nr <= 4): one accumulator per output (16), 4
 * weight vectors and 1 of x live at a time. xb: the block's first row (rows kp apart); w: its first row (rows w_row
 * elements apart); the last chunk's weights are loaded under tail (zero past K).
 *
 * Prefetch as bf16_rows.c: each row DOT_PREFETCH_BYTES ahead into L1, and, if ahead is not null, the next group
 * of 4 rows (4 · 2K contiguous bytes from ahead) into L2, 256 bytes per chunk.
 */
static inline __attribute__((always_inline)) DOT_TARGET void dot_tile(const int mr, const int nr, int64_t chunks,
        __mmask32 tail, const uint16_t *xb, int64_t kp, const uint16_t *w, int64_t w_row, const char *ahead,
        float *res) {
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
        __m512bh wv[4];
        for (int j = 0; j < nr; j++) {
            const uint16_t *p = w + j * w_row + c * DOT_CHUNK;
            _mm_prefetch((const char *) p + DOT_PREFETCH_BYTES, _MM_HINT_T0);
            /* masked only in the last chunk: a masked load streamed 1-6 % slower from memory (Zen 4, C driver) */
            wv[j] = (__m512bh) (c == chunks - 1 ? _mm512_maskz_loadu_epi16(tail, (const void *) p)
                    : _mm512_loadu_si512((const void *) p));
        }
        for (int i = 0; i < mr; i++) {
            __m512bh xv = (__m512bh) _mm512_loadu_si512((const void *) (xb + i * kp + c * DOT_CHUNK));
            for (int j = 0; j < nr; j++) {
                acc[i][j] = _mm512_dpbf16_ps(acc[i][j], xv, wv[j]);
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
 * out[r, c] for r < m and n_from <= c < n_to. xb: the rounded x [M, Kp]; w: row 0 of w (BF16, rows w_row
 * elements apart); out: out[0, 0], rows out_row floats apart. Rows of x in panels of at most DOT_PANEL_BYTES (all
 * of a decode step or a small batch: one panel); per panel, columns in groups of 4 rows of w, and for each group
 * the panel's rows in blocks of 4 (the group's rows stay in L1/L2 while later blocks pass them). Only the first
 * block prefetches the next group. Past one panel the weights are read once per panel: the prefill route.
 */
DOT_TARGET void tttv2_bf16dot_matmul(const uint16_t *xb, int64_t m, int64_t k, const uint16_t *w, int64_t w_row,
        int64_t n_from, int64_t n_to, float *out, int64_t out_row) {
    const int64_t kp = dot_padded(k);
    const int64_t chunks = kp / DOT_CHUNK;
    const int64_t rest = k - (chunks - 1) * DOT_CHUNK;
    const __mmask32 tail = rest >= 32 ? 0xFFFFFFFFu : (__mmask32) ((1u << rest) - 1);
    int64_t panel = DOT_PANEL_BYTES / (2 * kp) / 4 * 4;
    panel = panel < 4 ? 4 : panel;
    for (int64_t p = 0; p < m; p += panel) {
        const int64_t rows = m - p < panel ? m - p : panel;
        for (int64_t c = n_from; c < n_to; c += 4) {
            int nr = n_to - c < 4 ? (int) (n_to - c) : 4;
            const uint16_t *wc = w + c * w_row;
            const char *ahead = (const char *) (wc + 4 * w_row);
            for (int64_t r = p; r < p + rows; r += 4) {
                int mr = p + rows - r < 4 ? (int) (p + rows - r) : 4;
                const char *pf = r == p && c + 4 < n_to ? ahead : 0;
                float res[16];
                /* one specialised block per shape: the loops above unroll, the accumulators live in registers */
                switch (mr * 8 + nr) {
#define DOT_CASE(MR, NR) case MR * 8 + NR: \
                    dot_tile(MR, NR, chunks, tail, xb + r * kp, kp, wc, w_row, pf, res); break;
                    DOT_CASE(1, 1) DOT_CASE(1, 2) DOT_CASE(1, 3) DOT_CASE(1, 4)
                    DOT_CASE(2, 1) DOT_CASE(2, 2) DOT_CASE(2, 3) DOT_CASE(2, 4)
                    DOT_CASE(3, 1) DOT_CASE(3, 2) DOT_CASE(3, 3) DOT_CASE(3, 4)
                    DOT_CASE(4, 1) DOT_CASE(4, 2) DOT_CASE(4, 3) DOT_CASE(4, 4)
#undef DOT_CASE
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
}
