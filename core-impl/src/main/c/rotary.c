/*
 * RotaryKernel.apply in C, the same arithmetic (see row_ops.c's header for why and the rules): x, out
 * [tokens, heads, D] F32 from the first token of the chunk; cos, sin [positions, half] of dtype c_dt / s_dt,
 * rows c_p / s_p elements apart, elements c_i / s_i apart; pos [tokens] the positions of the chunk's tokens.
 * Pair (a, b) becomes (a * c - b * s, b * c + a * s): two products, then one subtraction or addition (no fma).
 * HALF (interleaved 0) pairs i with i + half, INTERLEAVED pairs 2i with 2i + 1. Both products of a pair are
 * read before either output is written, as in Java, so out may be x. Elements from 2 * half on are copied
 * when out is not x.
 */
#include "float_rows.h"

ROW_OPS void tttv2_rotary(const float *x, int64_t x_t, int64_t x_h, int64_t x_i, float *out, int64_t o_t,
                          int64_t o_h, int64_t o_i, const void *cos, int64_t c_p, int64_t c_i, int64_t c_dt,
                          const void *sin, int64_t s_p, int64_t s_i, int64_t s_dt, const int32_t *pos,
                          int64_t tokens, int64_t heads, int64_t d, int64_t half, int64_t interleaved) {
    /* the vector loop: HALF with unit inner strides (the tables may be any dtype or stride: same values) */
    const int64_t hv = !interleaved && x_i == 1 && o_i == 1 ? (half & ~(int64_t) 15) : 0;
    for (int64_t t = 0; t < tokens; t++) {
        int64_t p = pos[t];
        int64_t ca = p * c_p;
        int64_t sa = p * s_p;
        for (int64_t h = 0; h < heads; h++) {
            const float *xa = x + t * x_t + h * x_h;
            float *oa = out + t * o_t + h * o_h;
            int64_t i = 0;
            for (; i < hv; i += 16) {
                __m512 c = read16(cos, ca + i * c_i, c_i, c_dt);
                __m512 s = read16(sin, sa + i * s_i, s_i, s_dt);
                __m512 a = _mm512_loadu_ps(xa + i);
                __m512 b = _mm512_loadu_ps(xa + i + half);
                __m512 ra = _mm512_sub_ps(_mm512_mul_ps(a, c), _mm512_mul_ps(b, s));
                __m512 rb = _mm512_add_ps(_mm512_mul_ps(b, c), _mm512_mul_ps(a, s));
                _mm512_storeu_ps(oa + i, ra);
                _mm512_storeu_ps(oa + i + half, rb);
            }
            for (; i < half; i++) {
                float c = read_scalar(cos, ca + i * c_i, c_dt);
                float s = read_scalar(sin, sa + i * s_i, s_dt);
                int64_t ia = interleaved ? 2 * i : i;
                int64_t ib = interleaved ? 2 * i + 1 : i + half;
                float a = xa[ia * x_i];
                float b = xa[ib * x_i];
                oa[ia * o_i] = a * c - b * s;
                oa[ib * o_i] = b * c + a * s;
            }
            if (xa != oa || x_i != o_i) {
                for (int64_t j = 2 * half; j < d; j++) {
                    oa[j * o_i] = xa[j * x_i];
                }
            }
        }
    }
}
