/*
 * The sum of 16 float lanes in the one fixed tree every native kernel uses: l[i] + l[i + 8], then + 4, + 2, + 1
 * (plain F32 adds). It is C2's order for FloatVector.reduceLanes(ADD) on 16 lanes, which the Java kernels' bits
 * depend on, and the order the BF16 matmuls document for their outputs.
 */
#ifndef TTTV2_LANE_TREE_H
#define TTTV2_LANE_TREE_H

#include <immintrin.h>

static inline __attribute__((always_inline)) float lane_tree16(__m512 v) {
    __m256 lo = _mm512_castps512_ps256(v);
    __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    __m128 s1 = _mm_add_ss(s2, _mm_movehdup_ps(s2));
    return _mm_cvtss_f32(s1);
}

#endif
