/*
 * x [M, K] F32 (rows x_row floats apart) to the int8 scratch of int8_rows.h (Q4_0 weights), once per matmul
 * call, before the columns are split over threads. Per block of 32: d = amax / 127, q = rint(x * (1 / d)).
 */
#include "int8_rows.h"

void tttv2_int8_quantize(const float *x, int64_t x_row, int64_t m, int64_t k, int32_t offset, uint8_t *scratch) {
    const int64_t blocks = k / TTTV2_BLOCK;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i ones = _mm256_set1_epi8(1);
    const __m256i neg_offset = _mm256_set1_epi32(-offset);
    for (int64_t r = 0; r < m; r++) {
        const float *xr = x + r * x_row;
        int8_t *q = (int8_t *) int8_q(scratch, m, k, r);
        int32_t *corr = (int32_t *) int8_corr(scratch, m, k, r);
        float *d = (float *) x_d(scratch, m, k, r);
        for (int64_t b = 0; b < blocks; b++) {
            const float *xb = xr + b * TTTV2_BLOCK;
            __m256 v0 = _mm256_loadu_ps(xb), v1 = _mm256_loadu_ps(xb + 8);
            __m256 v2 = _mm256_loadu_ps(xb + 16), v3 = _mm256_loadu_ps(xb + 24);
            __m256 a = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1)),
                                     _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
            __m128 h = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
            h = _mm_max_ps(h, _mm_movehl_ps(h, h));
            h = _mm_max_ss(h, _mm_movehdup_ps(h));
            float amax = _mm_cvtss_f32(h);
            float db = amax / 127.0f;
            float id = db != 0.0f ? 1.0f / db : 0.0f;
            d[b] = db;
            __m256 s = _mm256_set1_ps(id);
            const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
            __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, s), mode));
            __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, s), mode));
            __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, s), mode));
            __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, s), mode));
            /* int32 -> int8 in order: vpmovdb keeps the lane order (packs would interleave the halves) */
            __m128i b0 = _mm256_cvtepi32_epi8(i0), b1 = _mm256_cvtepi32_epi8(i1);
            __m128i b2 = _mm256_cvtepi32_epi8(i2), b3 = _mm256_cvtepi32_epi8(i3);
            __m256i qb = _mm256_set_m128i(_mm_unpacklo_epi64(b2, b3), _mm_unpacklo_epi64(b0, b1));
            _mm256_storeu_si256((__m256i *) (q + b * TTTV2_BLOCK), qb);
            /* -offset * (sum of 4 q) per lane: vpdpbusd(0, 1, q) sums the 4 signed bytes of each lane */
            __m256i sums = _mm256_dpbusd_epi32(_mm256_setzero_si256(), ones, qb);
            _mm256_storeu_si256((__m256i *) (corr + b * 8), _mm256_mullo_epi32(sums, neg_offset));
        }
    }
}
