/*
 * x [M, K] F32 (rows x_row floats apart) to the int16 scratch of int8_rows.h (Q8_0 weights), once per matmul
 * call, before the columns are split over threads. Per block of 32: d = amax / 32767, q = rint(x * (1 / d)).
 */
#include "int8_rows.h"

void tttv2_int16_quantize(const float *x, int64_t x_row, int64_t m, int64_t k, uint8_t *scratch) {
    const int64_t blocks = k / TTTV2_BLOCK;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t r = 0; r < m; r++) {
        const float *xr = x + r * x_row;
        int16_t *q = (int16_t *) int16_q(scratch, m, k, r);
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
            float db = amax / 32767.0f;
            float id = db != 0.0f ? 1.0f / db : 0.0f;
            d[b] = db;
            __m256 s = _mm256_set1_ps(id);
            const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
            __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, s), mode));
            __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, s), mode));
            __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, s), mode));
            __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, s), mode));
            /* int32 -> int16 in order (vpmovdw; the values fit): |q| <= 32767 */
            _mm_storeu_si128((__m128i *) (q + b * TTTV2_BLOCK), _mm256_cvtepi32_epi16(i0));
            _mm_storeu_si128((__m128i *) (q + b * TTTV2_BLOCK + 8), _mm256_cvtepi32_epi16(i1));
            _mm_storeu_si128((__m128i *) (q + b * TTTV2_BLOCK + 16), _mm256_cvtepi32_epi16(i2));
            _mm_storeu_si128((__m128i *) (q + b * TTTV2_BLOCK + 24), _mm256_cvtepi32_epi16(i3));
        }
    }
}
