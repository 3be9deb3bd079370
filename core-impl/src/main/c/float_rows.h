/*
 * What row_ops.c and rotary.c share: the dtype codes NativeOps.java passes, the no-contraction attribute, and
 * reading BF16 / F16 / F32 values as floats. Every conversion is exact (a BF16 is the upper half of a float; F16
 * by the hardware's vcvtph2ps), as Lanes.read and Lanes.widen are, so a value's float does not depend on which
 * path read it; only a NaN half may come out with other payload bits than Java's.
 */
#ifndef TTTV2_FLOAT_ROWS_H
#define TTTV2_FLOAT_ROWS_H

#include <immintrin.h>
#include <stdint.h>

/* no contraction of a * b + c into an fma in these functions, whatever the command line says */
#define ROW_OPS __attribute__((optimize("fp-contract=off")))

/* DType codes as NativeOps passes them */
#define DT_F32 0
#define DT_BF16 1
#define DT_F16 2

static inline float bits_float(uint32_t u) {
    union { uint32_t u; float f; } b = {u};
    return b.f;
}

/* Lanes.read: element i of p, of dtype dt, as float. */
static inline float read_scalar(const void *p, int64_t i, int64_t dt) {
    switch (dt) {
        case DT_BF16: return bits_float((uint32_t) ((const uint16_t *) p)[i] << 16);
        case DT_F16: return _cvtsh_ss(((const uint16_t *) p)[i]);
        default: return ((const float *) p)[i];
    }
}

static inline __attribute__((always_inline)) __m512 bf16_vector(__m256i halves) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(halves), 16));
}

/* 16 values of dtype dt from element at of p, stride elements apart, as floats. */
static inline __attribute__((always_inline)) __m512 read16(const void *p, int64_t at, int64_t stride, int64_t dt) {
    if (stride == 1) {
        if (dt == DT_BF16) {
            return bf16_vector(_mm256_loadu_si256((const __m256i *) ((const uint16_t *) p + at)));
        }
        if (dt == DT_F16) {
            return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) ((const uint16_t *) p + at)));
        }
        return _mm512_loadu_ps((const float *) p + at);
    }
    float lanes[16];
    for (int l = 0; l < 16; l++) {
        lanes[l] = read_scalar(p, at + l * stride, dt);
    }
    return _mm512_loadu_ps(lanes);
}

#endif
