/*
 * The integer forms of x that the Q4_0 and Q8_0 kernels read, and the pieces every kernel shares.
 *
 * Q4_0: x as int8. Scratch for x [M, K] (K a multiple of 32, B = K / 32 blocks), one region after another:
 *   q    int8  [M, K]      x[r, i] / d[r, b] rounded to nearest (ties to even), b = i / 32
 *   corr int32 [M, B, 8]   per block, lane l: -offset * (q[4l] + q[4l+1] + q[4l+2] + q[4l+3]) of the block
 *   d    float [M, B]      amax of the block / 127 (0 for a block of zeros)
 * The weights are read as unsigned bytes u = w + offset (the nibble, offset 8), so vpdpbusd(corr, u, q) gives,
 * lane by lane, the exact signed sums of w * q over 4 values.
 *
 * Q8_0: x as int16 [M, K] (2 M K bytes, d = amax / 32767), then the same d [M, B]. int8 x would add an error as
 * large as the weights' own (the T5 fixture's Q8_0 logits PCC fell from 0.9994 to 0.9987, under issue 12's
 * 0.999); int16 x adds 1/256 of it, and vpdpwssd takes the int8 weights sign-extended.
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

/* Q8_0 weights take x as int16 instead: q int16 [M, K] = rint(x / d), d = amax / 32767, then d as above. */
static inline const int16_t *int16_q(const uint8_t *scratch, int64_t m, int64_t k, int64_t r) {
    (void) m;
    return (const int16_t *) scratch + r * k;
}

/* The scales of either layout: F32 [M, K / 32] after 2 M K bytes. */
static inline const float *x_d(const uint8_t *scratch, int64_t m, int64_t k, int64_t r) {
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
