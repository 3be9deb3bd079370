/*
 * The int8 form of x that the Q8_0/Q4_0 kernels read, and the pieces every kernel shares.
 *
 * Scratch for x [M, K] (K a multiple of 32, B = K / 32 blocks), one region after another:
 *   q    int8  [M, K]      x[r, i] / d[r, b] rounded to nearest (ties to even), b = i / 32
 *   corr int32 [M, B, 8]   per block, lane l: -offset * (q[4l] + q[4l+1] + q[4l+2] + q[4l+3]) of the block
 *   d    float [M, B]      amax of the block / 127 (0 for a block of zeros)
 * The weights are read as unsigned bytes u = w + offset (Q8_0: w xor 0x80, offset 128; Q4_0: the nibble,
 * offset 8), so vpdpbusd(corr, u, q) gives, lane by lane, the exact signed sums of w * q over 4 values.
 */
#ifndef TTTV2_INT8_ROWS_H
#define TTTV2_INT8_ROWS_H

#include <immintrin.h>
#include <stdint.h>

#define TTTV2_BLOCK 32

static inline const int8_t *int8_q(const uint8_t *scratch, int64_t m, int64_t k, int64_t r) {
    (void) m;
    return (const int8_t *) scratch + r * k;
}

static inline const int32_t *int8_corr(const uint8_t *scratch, int64_t m, int64_t k, int64_t r) {
    return (const int32_t *) (scratch + m * k) + r * (k / TTTV2_BLOCK) * 8;
}

static inline const float *int8_d(const uint8_t *scratch, int64_t m, int64_t k, int64_t r) {
    return (const float *) (scratch + 2 * m * k) + r * (k / TTTV2_BLOCK);
}

/* The sum of the 8 lanes, always in this order: (lo + hi) halves, then pairs, then the last two. */
static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#endif
