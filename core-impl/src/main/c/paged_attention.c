/*
 * Scaled dot-product attention of one query row against the paged KV cache: the native route of
 * AttentionKernel (core-impl/src/main/java/io/tttv2/core/cpu/kernel/AttentionKernel.java), for the heads
 * [h_from, h_to) of that row. It gives the bits that kernel gives when C2 has compiled it on a 16-lane
 * (AVX-512) machine, so every operation below is the Java kernel's, in the Java kernel's order:
 *   - FMA exactly where the Java code calls fma, plain multiply and add elsewhere (fp-contract is off for this
 *     file, so gcc never fuses a * b + c on its own);
 *   - FloatVector.reduceLanes(ADD) as C2 compiles it here: the halving tree l[i] + l[i + 8], + l[i + 4],
 *     + l[i + 2], l[0] + l[1] (lane_tree16);
 *   - lanewise(EXP) as C2 compiles it here: a call of the JDK's libjsvml __jsvml_expf16_ha_z0 (16 floats in
 *     zmm0 to 16 floats in zmm0), whose address the caller passes as exp_fn;
 *   - reduceLanes(MAX) and Math.max with Java's semantics (NaN wins, +0 above -0): the maximum does not
 *     depend on the order, only those two cases need care.
 *
 * Shapes (element strides, the innermost stride of K and V is 1):
 *   q    [heads, Dk] F32 of the row, head stride q_head, element stride q_elem (scaled here by scale)
 *   out  [heads, Dv] F32 of the row, strides out_head, out_elem
 *   keys [blocks, block_size, kv_heads, Dk], values [blocks, block_size, kv_heads, Dv]: F32, BF16 or F16
 *        (dtype 0, 1, 2); strides k_block, k_row, k_head (v_… alike); values may be the keys (MLA's latent
 *        cache: the first Dv elements of each key row)
 *   blocks: blocks[i] is the cache block of positions i * block_size ..; keys [first, last] are attended
 *   bias [heads, keys] F32 added to the scores (T5), strides bias_head, bias_key; or null
 *   scratch: at least pad16(max(Dk, Dv)) + min(group, 8) * (2 * pad16(max(Dk, Dv)) + pad16(tile)) floats, this
 *        thread's alone
 * Query head h reads kv head h / group. Tiles of kv_tile positions (all at once if 0) fold by an online softmax.
 */
#include <immintrin.h>
#include <stdint.h>

#include "lane_tree.h"

#pragma GCC optimize ("fp-contract=off")

typedef __m512 (*attn_exp16)(__m512);

enum { ATTN_F32 = 0, ATTN_BF16 = 1, ATTN_F16 = 2 };

#define ATTN_INLINE static inline __attribute__((always_inline))

/*
 * Lane k of the result = lane_tree16(a[k]) for 16 accumulators, bit for bit: each level of the tree adds the two
 * halves of every accumulator's segment, two or four accumulators side by side in one vector add (the same adds
 * as lane_tree16, 15 vector adds for 16 sums instead of 4 per sum). Levels: 8 vectors holding 2 accumulators' 8
 * partial sums, 4 holding 4 accumulators' 4, 2 holding 8 accumulators' 2, 1 holding all 16 (lane 4k + j =
 * accumulator 4j + k), then one permute into accumulator order.
 */
ATTN_INLINE __m512 attn_hsum16x16(const __m512 *a) {
    __m512 t[8];
    for (int k = 0; k < 8; k++) {       // s8[i] = l[i] + l[i + 8]: quarters 0,1 + quarters 2,3
        t[k] = _mm512_add_ps(_mm512_shuffle_f32x4(a[2 * k], a[2 * k + 1], 0x44),
                _mm512_shuffle_f32x4(a[2 * k], a[2 * k + 1], 0xEE));
    }
    __m512 v[4];
    for (int m = 0; m < 4; m++) {       // s4[i] = s8[i] + s8[i + 4]: quarter k of v[m] is accumulator 4m + k
        v[m] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * m], t[2 * m + 1], 0x88),
                _mm512_shuffle_f32x4(t[2 * m], t[2 * m + 1], 0xDD));
    }
    __m512 w0 = _mm512_add_ps(_mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(1, 0, 1, 0)),
            _mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(3, 2, 3, 2)));          // s2[i] = s4[i] + s4[i + 2]
    __m512 w1 = _mm512_add_ps(_mm512_shuffle_ps(v[2], v[3], _MM_SHUFFLE(1, 0, 1, 0)),
            _mm512_shuffle_ps(v[2], v[3], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 z = _mm512_add_ps(_mm512_shuffle_ps(w0, w1, _MM_SHUFFLE(2, 0, 2, 0)),
            _mm512_shuffle_ps(w0, w1, _MM_SHUFFLE(3, 1, 3, 1)));              // s2[0] + s2[1]
    const __m512i order = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0);
    return _mm512_permutexvar_ps(order, z);
}

ATTN_INLINE float attn_bits_float(uint32_t b) {
    union { uint32_t u; float f; } c = { b };
    return c.f;
}

ATTN_INLINE uint32_t attn_float_bits(float f) {
    union { float f; uint32_t u; } c = { f };
    return c.u;
}

/* Java's Math.max(a, b) for floats: a NaN wins, +0 is above -0. */
ATTN_INLINE float attn_jmax(float a, float b) {
    if (a != a) {
        return a;
    }
    if (b != b) {
        return b;
    }
    if (a == 0.0f && b == 0.0f) {
        return attn_bits_float(attn_float_bits(a) & attn_float_bits(b));
    }
    return a >= b ? a : b;
}

ATTN_INLINE float attn_bf16(uint16_t h) {
    return attn_bits_float((uint32_t) h << 16);
}

/* F16 to F32 in the integer steps of SplitOrder.widen (exact: the magnitude bits times 2^-112, rescaled). */
ATTN_INLINE float attn_f16(uint16_t h) {
    uint32_t x = h;
    float fin = attn_bits_float((x & 0x7FFF) << 13) * 0x1p112f;
    uint32_t special = (0u - (((x & 0x7C00) + 0x0400) >> 15)) & 0x7F800000u;
    return attn_bits_float(attn_float_bits(fin) | special | ((x & 0x8000) << 16));
}

ATTN_INLINE __m512 attn_f16x16(__m512i h) {
    const __m512i zero = _mm512_setzero_si512();
    __m512 fin = _mm512_mul_ps(_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_and_si512(h, _mm512_set1_epi32(0x7FFF)), 13)),
            _mm512_set1_ps(0x1p112f));
    __m512i special = _mm512_and_si512(_mm512_sub_epi32(zero, _mm512_srli_epi32(
            _mm512_add_epi32(_mm512_and_si512(h, _mm512_set1_epi32(0x7C00)), _mm512_set1_epi32(0x0400)), 15)),
            _mm512_set1_epi32(0x7F800000));
    __m512i sign = _mm512_slli_epi32(_mm512_and_si512(h, _mm512_set1_epi32(0x8000)), 16);
    return _mm512_castsi512_ps(_mm512_or_si512(_mm512_or_si512(_mm512_castps_si512(fin), special), sign));
}

/* row[0 .. n) = an F16 row of n elements in split order (SplitOrder.widen). */
static void attn_widen_f16(const uint16_t *src, int64_t n, float *row) {
    int64_t pairs = n / 2;
    int64_t pv = pairs & ~(int64_t) 15;
    int64_t j = 0;
    for (; j < pv; j += 16) {
        __m512i w = _mm512_loadu_si512(src + 2 * j);
        _mm512_storeu_ps(row + j, attn_f16x16(_mm512_and_si512(w, _mm512_set1_epi32(0xFFFF))));
        _mm512_storeu_ps(row + pairs + j, attn_f16x16(_mm512_srli_epi32(w, 16)));
    }
    for (; j < pairs; j++) {
        row[j] = attn_f16(src[2 * j]);
        row[pairs + j] = attn_f16(src[2 * j + 1]);
    }
    if (n & 1) {
        row[n - 1] = attn_f16(src[n - 1]);
    }
}

/*
 * Scores of one run of count key rows (row_stride elements apart) for one query head, or two (two = 1: q1 and s1
 * as well, reading each key vector once for both), for an F32 cache with Dk % 16 == 0 or a BF16 one with
 * Dk % 32 == 0: AttentionKernel.scoreRun's order. Keys in whole groups of 4 from the run's start take its
 * four-key loop (one FMA chain per key over the Dk chunks; for BF16 per chunk the even then the odd half), the
 * rest its one-key loop, whose score is 0 + the tree; 16 keys' trees are taken together (attn_hsum16x16).
 * With two heads and 4 keys there are 8 independent chains, enough to keep both FMA ports busy.
 */
ATTN_INLINE void attn_scores_pair(const int bf16, const int two, const void *keys, int64_t row_stride,
                                  int64_t count, const float *q0, const float *q1, int64_t d, float *s0, float *s1) {
    const __m512i high = _mm512_set1_epi32((int) 0xFFFF0000u);
    int64_t pairs = d / 2;
    int64_t steps = bf16 ? pairs : d;       // the chunk loop: 16 floats, or 32 BF16 values
    for (int64_t r = 0; r < count; r += 16) {
        int64_t nb = count - r < 16 ? count - r : 16;
        __m512 acc0[16];
        __m512 acc1[16];
        int64_t b = 0;
        for (; b + 4 <= nb; b += 4) {
            __m512 a[2][4];
            for (int x = 0; x < 4; x++) {
                a[0][x] = _mm512_setzero_ps();
                a[1][x] = _mm512_setzero_ps();
            }
            for (int64_t i = 0; i < steps; i += 16) {
                if (!bf16) {
                    const float *k = (const float *) keys + (r + b) * row_stride + i;
                    __m512 kv[4];
                    for (int x = 0; x < 4; x++) {
                        kv[x] = _mm512_loadu_ps(k + x * row_stride);
                    }
                    __m512 qa = _mm512_loadu_ps(q0 + i);
                    for (int x = 0; x < 4; x++) {
                        a[0][x] = _mm512_fmadd_ps(kv[x], qa, a[0][x]);
                    }
                    if (two) {
                        __m512 qb = _mm512_loadu_ps(q1 + i);
                        for (int x = 0; x < 4; x++) {
                            a[1][x] = _mm512_fmadd_ps(kv[x], qb, a[1][x]);
                        }
                    }
                } else {
                    const uint16_t *k = (const uint16_t *) keys + (r + b) * row_stride + 2 * i;
                    __m512 lo[4];
                    __m512 hi[4];
                    for (int x = 0; x < 4; x++) {
                        __m512i w = _mm512_loadu_si512(k + x * row_stride);
                        lo[x] = _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
                        hi[x] = _mm512_castsi512_ps(_mm512_and_si512(w, high));
                    }
                    __m512 even = _mm512_loadu_ps(q0 + i);
                    __m512 odd = _mm512_loadu_ps(q0 + pairs + i);
                    for (int x = 0; x < 4; x++) {
                        a[0][x] = _mm512_fmadd_ps(lo[x], even, a[0][x]);
                    }
                    for (int x = 0; x < 4; x++) {
                        a[0][x] = _mm512_fmadd_ps(hi[x], odd, a[0][x]);
                    }
                    if (two) {
                        even = _mm512_loadu_ps(q1 + i);
                        odd = _mm512_loadu_ps(q1 + pairs + i);
                        for (int x = 0; x < 4; x++) {
                            a[1][x] = _mm512_fmadd_ps(lo[x], even, a[1][x]);
                        }
                        for (int x = 0; x < 4; x++) {
                            a[1][x] = _mm512_fmadd_ps(hi[x], odd, a[1][x]);
                        }
                    }
                }
            }
            for (int x = 0; x < 4; x++) {
                acc0[b + x] = a[0][x];
                acc1[b + x] = a[1][x];
            }
        }
        __mmask16 single = 0;
        for (; b < nb; b++) {
            __m512 a0 = _mm512_setzero_ps();
            __m512 a1 = _mm512_setzero_ps();
            for (int64_t i = 0; i < steps; i += 16) {
                if (!bf16) {
                    __m512 kv = _mm512_loadu_ps((const float *) keys + (r + b) * row_stride + i);
                    a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q0 + i), kv, a0);
                    if (two) {
                        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q1 + i), kv, a1);
                    }
                } else {
                    __m512i w = _mm512_loadu_si512((const uint16_t *) keys + (r + b) * row_stride + 2 * i);
                    __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
                    __m512 hi = _mm512_castsi512_ps(_mm512_and_si512(w, high));
                    a0 = _mm512_fmadd_ps(lo, _mm512_loadu_ps(q0 + i), a0);
                    a0 = _mm512_fmadd_ps(hi, _mm512_loadu_ps(q0 + pairs + i), a0);
                    if (two) {
                        a1 = _mm512_fmadd_ps(lo, _mm512_loadu_ps(q1 + i), a1);
                        a1 = _mm512_fmadd_ps(hi, _mm512_loadu_ps(q1 + pairs + i), a1);
                    }
                }
            }
            acc0[b] = a0;
            acc1[b] = a1;
            single |= (__mmask16) (1u << b);
        }
        for (; b < 16; b++) {
            acc0[b] = _mm512_setzero_ps();
            acc1[b] = _mm512_setzero_ps();
        }
        __mmask16 keep = (__mmask16) ((1u << nb) - 1);
        __m512 sv = attn_hsum16x16(acc0);
        _mm512_mask_storeu_ps(s0 + r, keep, _mm512_mask_add_ps(sv, single, _mm512_setzero_ps(), sv));
        if (two) {
            sv = attn_hsum16x16(acc1);
            _mm512_mask_storeu_ps(s1 + r, keep, _mm512_mask_add_ps(sv, single, _mm512_setzero_ps(), sv));
        }
    }
}

/*
 * scores[r] = q · key row r one key at a time (AttentionKernel.scoreRows): the key dims the pair kernel does not
 * take (F32 Dk % 16 != 0, BF16 Dk % 32 != 0) and every F16 cache (rows widened into row first).
 */
static void attn_scores_rows(int dtype, const void *keys, int64_t row_stride, int64_t count, const float *q,
                             int64_t d, float *scores, float *row) {
    if (dtype == ATTN_F32) {
        const float *k = (const float *) keys;
        int64_t dvec = d & ~(int64_t) 15;
        for (int64_t r = 0; r < count; r++) {
            const float *kr = k + r * row_stride;
            __m512 acc = _mm512_setzero_ps();
            for (int64_t i = 0; i < dvec; i += 16) {
                acc = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(kr + i), acc);
            }
            float sum = 0.0f;
            for (int64_t i = dvec; i < d; i++) {
                sum += q[i] * kr[i];
            }
            scores[r] = sum + lane_tree16(acc);
        }
    } else if (dtype == ATTN_BF16) {
        const uint16_t *k = (const uint16_t *) keys;
        const __m512i high = _mm512_set1_epi32((int) 0xFFFF0000u);
        int64_t pairs = d / 2;
        int64_t pv = pairs & ~(int64_t) 15;
        for (int64_t r = 0; r < count; r++) {
            const uint16_t *kr = k + r * row_stride;
            __m512 acc = _mm512_setzero_ps();
            for (int64_t j = 0; j < pv; j += 16) {
                __m512i w = _mm512_loadu_si512(kr + 2 * j);
                acc = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_slli_epi32(w, 16)), _mm512_loadu_ps(q + j), acc);
                acc = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(w, high)), _mm512_loadu_ps(q + pairs + j), acc);
            }
            float sum = 0.0f;
            for (int64_t j = pv; j < pairs; j++) {
                sum += q[j] * attn_bf16(kr[2 * j]) + q[pairs + j] * attn_bf16(kr[2 * j + 1]);
            }
            if (d & 1) {
                sum += q[d - 1] * attn_bf16(kr[d - 1]);
            }
            scores[r] = sum + lane_tree16(acc);
        }
    } else {
        const uint16_t *k = (const uint16_t *) keys;
        int64_t dvec = d & ~(int64_t) 15;
        for (int64_t r = 0; r < count; r++) {
            attn_widen_f16(k + r * row_stride, d, row);
            __m512 acc = _mm512_setzero_ps();
            for (int64_t i = 0; i < dvec; i += 16) {
                acc = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(row + i), acc);
            }
            float sum = 0.0f;
            for (int64_t i = dvec; i < d; i++) {
                sum += q[i] * row[i];
            }
            scores[r] = sum + lane_tree16(acc);
        }
    }
}

/* scores[k][at + r] = q[k] · key row r for heads k < nh: the pair kernel two heads at a time where it applies. */
static void attn_scores(int dtype, const void *keys, int64_t row_stride, int64_t count, float *const *q, int nh,
                        int64_t d, float *const *scores, int64_t at, float *row) {
    int k = 0;
    if (dtype == ATTN_F32 && d % 16 == 0) {
        for (; k + 2 <= nh; k += 2) {
            attn_scores_pair(0, 1, keys, row_stride, count, q[k], q[k + 1], d, scores[k] + at, scores[k + 1] + at);
        }
        if (k < nh) {
            attn_scores_pair(0, 0, keys, row_stride, count, q[k], q[k], d, scores[k] + at, scores[k] + at);
        }
    } else if (dtype == ATTN_BF16 && d % 32 == 0) {
        for (; k + 2 <= nh; k += 2) {
            attn_scores_pair(1, 1, keys, row_stride, count, q[k], q[k + 1], d, scores[k] + at, scores[k + 1] + at);
        }
        if (k < nh) {
            attn_scores_pair(1, 0, keys, row_stride, count, q[k], q[k], d, scores[k] + at, scores[k] + at);
        }
    } else {
        for (; k < nh; k++) {
            attn_scores_rows(dtype, keys, row_stride, count, q[k], d, scores[k] + at, row);
        }
    }
}

/*
 * acc0[c·16 ..] += p0[r] · v[r][c·16 ..] (and acc1 with p1 when two) for chunks c < nc <= 8 of an F32 value row
 * (bf16 = 0), or for BF16 chunks c < nc <= 4 of 32 values into the even half acc[16c ..] and the odd half
 * acc[pairs + 16c ..] (bf16 = 1); rows r < count. All accumulators stay in registers and each row feeds them all,
 * so up to 16 FMA chains run side by side (one chain would wait the FMA latency per row); each element's chain
 * still takes the rows in order (AttentionKernel.accumulateRun).
 */
ATTN_INLINE void attn_acc_pair(const int bf16, const int nc, const int two, const void *values, int64_t row_stride,
                               int64_t count, const float *p0, const float *p1, float *acc0, float *acc1,
                               int64_t pairs) {
    const __m512i high = _mm512_set1_epi32((int) 0xFFFF0000u);
    const int na = bf16 ? 2 * nc : nc;      // accumulators per head (at most 8: attn_accumulate's blocking)
    __m512 a0[16];
    __m512 a1[16];
    for (int c = 0; c < na; c++) {
        int64_t off = bf16 ? (c & 1 ? pairs : 0) + 16 * (c >> 1) : 16 * c;
        a0[c] = _mm512_loadu_ps(acc0 + off);
        if (two) {
            a1[c] = _mm512_loadu_ps(acc1 + off);
        }
    }
    for (int64_t r = 0; r < count; r++) {
        __m512 pr0 = _mm512_set1_ps(p0[r]);
        __m512 pr1 = two ? _mm512_set1_ps(p1[r]) : pr0;
        for (int c = 0; c < nc; c++) {
            if (!bf16) {
                __m512 vv = _mm512_loadu_ps((const float *) values + r * row_stride + 16 * c);
                a0[c] = _mm512_fmadd_ps(vv, pr0, a0[c]);
                if (two) {
                    a1[c] = _mm512_fmadd_ps(vv, pr1, a1[c]);
                }
            } else {
                __m512i w = _mm512_loadu_si512((const uint16_t *) values + r * row_stride + 32 * c);
                __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
                __m512 hi = _mm512_castsi512_ps(_mm512_and_si512(w, high));
                a0[2 * c] = _mm512_fmadd_ps(lo, pr0, a0[2 * c]);
                a0[2 * c + 1] = _mm512_fmadd_ps(hi, pr0, a0[2 * c + 1]);
                if (two) {
                    a1[2 * c] = _mm512_fmadd_ps(lo, pr1, a1[2 * c]);
                    a1[2 * c + 1] = _mm512_fmadd_ps(hi, pr1, a1[2 * c + 1]);
                }
            }
        }
    }
    for (int c = 0; c < na; c++) {
        int64_t off = bf16 ? (c & 1 ? pairs : 0) + 16 * (c >> 1) : 16 * c;
        _mm512_storeu_ps(acc0 + off, a0[c]);
        if (two) {
            _mm512_storeu_ps(acc1 + off, a1[c]);
        }
    }
}

/* attn_acc_pair for nc chunks given at run time (1 .. max), two heads or one. */
ATTN_INLINE void attn_acc_chunks(const int bf16, int nc, int two, const void *values, int64_t row_stride,
                                 int64_t count, const float *p0, const float *p1, float *acc0, float *acc1,
                                 int64_t pairs) {
#define ATTN_ACC_CASE(n) case n: \
        if (two) attn_acc_pair(bf16, n, 1, values, row_stride, count, p0, p1, acc0, acc1, pairs); \
        else attn_acc_pair(bf16, n, 0, values, row_stride, count, p0, p0, acc0, acc0, pairs); \
        break;
    switch (nc) {
        ATTN_ACC_CASE(1)
        ATTN_ACC_CASE(2)
        ATTN_ACC_CASE(3)
        ATTN_ACC_CASE(4)
        ATTN_ACC_CASE(5)
        ATTN_ACC_CASE(6)
        ATTN_ACC_CASE(7)
        default:
        ATTN_ACC_CASE(8)
    }
#undef ATTN_ACC_CASE
}

/*
 * acc[k] += p[k][at + r] · value row r for count rows and heads k < nh (AttentionKernel.accumulateRun): per
 * element, one chain over the rows in order. F32 and BF16 whole chunks two heads at a time (attn_acc_pair), their
 * tails and F16 rows one head at a time.
 */
static void attn_accumulate(int dtype, const void *values, int64_t row_stride, int64_t count, float *const *p,
                            int64_t at, float *const *acc, int nh, int64_t d, float *row) {
    if (dtype == ATTN_F32) {
        const float *v = (const float *) values;
        int64_t dvec = d & ~(int64_t) 15;
        for (int64_t i = 0; i < dvec; i += 8 * 16) {        // 8 chunks at a time, the rest in one go
            int nc = (dvec - i) / 16 < 8 ? (int) ((dvec - i) / 16) : 8;
            int k = 0;
            for (; k + 2 <= nh; k += 2) {
                attn_acc_chunks(0, nc, 1, v + i, row_stride, count, p[k] + at, p[k + 1] + at, acc[k] + i,
                        acc[k + 1] + i, 0);
            }
            if (k < nh) {
                attn_acc_chunks(0, nc, 0, v + i, row_stride, count, p[k] + at, p[k] + at, acc[k] + i, acc[k] + i, 0);
            }
        }
        for (int k = 0; k < nh; k++) {
            for (int64_t i = dvec; i < d; i++) {
                float a = acc[k][i];
                for (int64_t r = 0; r < count; r++) {
                    a += p[k][at + r] * v[r * row_stride + i];
                }
                acc[k][i] = a;
            }
        }
    } else if (dtype == ATTN_BF16) {
        const uint16_t *v = (const uint16_t *) values;
        int64_t pairs = d / 2;
        int64_t pv = pairs & ~(int64_t) 15;
        for (int64_t j = 0; j < pv; j += 4 * 16) {          // 4 chunks of 32 values at a time (8 chains a head)
            int nc = (pv - j) / 16 < 4 ? (int) ((pv - j) / 16) : 4;
            int k = 0;
            for (; k + 2 <= nh; k += 2) {
                attn_acc_chunks(1, nc, 1, v + 2 * j, row_stride, count, p[k] + at, p[k + 1] + at, acc[k] + j,
                        acc[k + 1] + j, pairs);
            }
            if (k < nh) {
                attn_acc_chunks(1, nc, 0, v + 2 * j, row_stride, count, p[k] + at, p[k] + at, acc[k] + j,
                        acc[k] + j, pairs);
            }
        }
        for (int k = 0; k < nh; k++) {
            for (int64_t r = 0; r < count; r++) {
                const uint16_t *vr = v + r * row_stride;
                float pr = p[k][at + r];
                for (int64_t j = pv; j < pairs; j++) {
                    acc[k][j] += pr * attn_bf16(vr[2 * j]);
                    acc[k][pairs + j] += pr * attn_bf16(vr[2 * j + 1]);
                }
                if (d & 1) {
                    acc[k][d - 1] += pr * attn_bf16(vr[d - 1]);
                }
            }
        }
    } else {
        const uint16_t *v = (const uint16_t *) values;
        int64_t dvec = d & ~(int64_t) 15;
        for (int64_t r = 0; r < count; r++) {
            attn_widen_f16(v + r * row_stride, d, row);
            for (int k = 0; k < nh; k++) {
                __m512 pr = _mm512_set1_ps(p[k][at + r]);
                float *a = acc[k];
                for (int64_t i = 0; i < dvec; i += 16) {
                    _mm512_storeu_ps(a + i, _mm512_fmadd_ps(_mm512_loadu_ps(row + i), pr, _mm512_loadu_ps(a + i)));
                }
                for (int64_t i = dvec; i < d; i++) {
                    a[i] += p[k][at + r] * row[i];
                }
            }
        }
    }
}

/* Java's max of scores[0 .. n): the vector max over whole vectors, then Math.max over the rest. */
static float attn_tile_max(const float *scores, int64_t n) {
    int64_t nv = n & ~(int64_t) 15;
    float m = -__builtin_inff();
    if (nv > 0) {
        __m512 mv = _mm512_set1_ps(-__builtin_inff());
        __mmask16 nan = 0;
        for (int64_t j = 0; j < nv; j += 16) {
            __m512 x = _mm512_loadu_ps(scores + j);
            nan |= _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
            mv = _mm512_max_ps(x, mv);
        }
        m = _mm512_reduce_max_ps(mv);
        if (nan) {
            m = __builtin_nanf("");
        } else if (m == 0.0f) {         // vmaxps does not order -0 and +0; Java puts +0 above -0
            m = -0.0f;
            for (int64_t j = 0; j < nv; j++) {
                if (scores[j] == 0.0f && attn_float_bits(scores[j]) == 0) {
                    m = 0.0f;
                    break;
                }
            }
        }
    }
    for (int64_t j = nv; j < n; j++) {
        m = attn_jmax(m, scores[j]);
    }
    return m;
}

ATTN_INLINE int64_t attn_pad16(int64_t n) {
    return (n + 15) & ~(int64_t) 15;
}

/* Element i of a row of n elements kept in split order (SplitOrder.index). */
ATTN_INLINE int64_t attn_split_index(int64_t i, int64_t n) {
    int64_t pairs = n / 2;
    if (i == 2 * pairs) {
        return n - 1;
    }
    return (i & 1) == 0 ? i / 2 : pairs + i / 2;
}

/*
 * Query heads of one kv head are taken together, up to ATTN_SHARED at a time: each run of key (value) rows is
 * scored (accumulated) for all of them while it is in L1, two heads per pass over it (attn_scores_pair,
 * attn_acc_pair: twice the independent FMA chains), instead of once per head from L2. Every head keeps its own q,
 * acc, scores, max and sum, and takes its operations in the order above: only the interleaving of the heads
 * changes, not any head's arithmetic. (Software prefetch of the next run was tried: slower for F32 caches.)
 */
#define ATTN_SHARED 8

void tttv2_paged_attention(int64_t exp_fn, const float *q, int64_t q_head, int64_t q_elem, float *out,
                           int64_t out_head, int64_t out_elem, int64_t h_from, int64_t h_to, int64_t group,
                           int64_t dtype, const char *keys, int64_t k_block, int64_t k_row, int64_t k_head,
                           const char *values, int64_t v_block, int64_t v_row, int64_t v_head, const int32_t *blocks,
                           int64_t block_size, int64_t first, int64_t last, int64_t kv_tile, float scale, int64_t d,
                           int64_t dv, const float *bias, int64_t bias_head, int64_t bias_key, float *scratch) {
    attn_exp16 vexp = (attn_exp16) (intptr_t) exp_fn;
    int64_t esize = dtype == ATTN_F32 ? 4 : 2;
    int64_t wide = attn_pad16(d > dv ? d : dv);
    int split = dtype != ATTN_F32;
    int64_t total = last - first + 1;
    int64_t tile = kv_tile > 0 && kv_tile < total ? kv_tile : total;
    // scratch: row [wide], then per head of a pass: q [wide], acc [wide], scores [pad16(tile)]
    float *row = scratch;
    int64_t per_head = 2 * wide + attn_pad16(tile);
    float *qv[ATTN_SHARED];
    float *acc[ATTN_SHARED];
    float *scores[ATTN_SHARED];
    float max[ATTN_SHARED];
    float sum[ATTN_SHARED];
    for (int k = 0; k < ATTN_SHARED; k++) {
        qv[k] = row + wide + k * per_head;
        acc[k] = qv[k] + wide;
        scores[k] = acc[k] + wide;
    }
    for (int64_t h0 = h_from; h0 < h_to; ) {
        int64_t g = h0 / group;
        int64_t h1 = (g + 1) * group < h_to ? (g + 1) * group : h_to;
        if (h1 - h0 > ATTN_SHARED) {
            h1 = h0 + ATTN_SHARED;
        }
        int nh = (int) (h1 - h0);
        for (int k = 0; k < nh; k++) {
            const float *qh = q + (h0 + k) * q_head;
            for (int64_t i = 0; i < d; i++) {
                qv[k][split ? attn_split_index(i, d) : i] = qh[i * q_elem] * scale;
            }
            for (int64_t i = 0; i < dv; i++) {
                acc[k][i] = 0.0f;
            }
            max[k] = -__builtin_inff();
            sum[k] = 0.0f;
        }
        for (int64_t tf = first; tf <= last; tf += tile) {
            int64_t tl = last < tf + tile - 1 ? last : tf + tile - 1;
            int64_t n = tl - tf + 1;
            for (int64_t j = tf; j <= tl; ) {
                int64_t r = j % block_size;
                int64_t run = block_size - r < tl - j + 1 ? block_size - r : tl - j + 1;
                const char *ka = keys + (blocks[j / block_size] * k_block + r * k_row + g * k_head) * esize;
                attn_scores((int) dtype, ka, k_row, run, qv, nh, d, scores, j - tf, row);
                j += run;
            }
            for (int k = 0; k < nh; k++) {
                float *sc = scores[k];
                if (bias != 0) {
                    const float *b = bias + (h0 + k) * bias_head + tf * bias_key;
                    for (int64_t j = 0; j < n; j++) {
                        sc[j] += b[j * bias_key];
                    }
                }
                float tile_max = attn_tile_max(sc, n);
                if (tile_max > max[k]) {
                    if (tf != first) {      // rescale what earlier tiles summed to the new max
                        float c = _mm_cvtss_f32(_mm512_castps512_ps128(vexp(_mm512_set1_ps(max[k] - tile_max))));
                        sum[k] *= c;
                        for (int64_t i = 0; i < dv; i++) {
                            acc[k][i] *= c;
                        }
                    }
                    max[k] = tile_max;
                }
                int64_t nv = n & ~(int64_t) 15;
                __m512 maxv = _mm512_set1_ps(max[k]);
                __m512 sumv = _mm512_setzero_ps();
                for (int64_t j = 0; j < nv; j += 16) {
                    __m512 e = vexp(_mm512_sub_ps(_mm512_loadu_ps(sc + j), maxv));
                    _mm512_storeu_ps(sc + j, e);
                    sumv = _mm512_add_ps(sumv, e);
                }
                float tile_sum = lane_tree16(sumv);
                if (nv < n) {
                    __mmask16 m = (__mmask16) ((1u << (n - nv)) - 1);
                    __m512 e = vexp(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, sc + nv), maxv));
                    _mm512_mask_storeu_ps(sc + nv, m, e);
                    for (int64_t j = nv; j < n; j++) {
                        tile_sum += sc[j];
                    }
                }
                sum[k] += tile_sum;
            }
            for (int64_t j = tf; j <= tl; ) {
                int64_t r = j % block_size;
                int64_t run = block_size - r < tl - j + 1 ? block_size - r : tl - j + 1;
                const char *va = values + (blocks[j / block_size] * v_block + r * v_row + g * v_head) * esize;
                attn_accumulate((int) dtype, va, v_row, run, scores, j - tf, acc, nh, dv, row);
                j += run;
            }
        }
        for (int k = 0; k < nh; k++) {
            float inv = 1.0f / sum[k];
            float *oh = out + (h0 + k) * out_head;
            for (int64_t i = 0; i < dv; i++) {
                oh[i * out_elem] = acc[k][split ? attn_split_index(i, dv) : i] * inv;
            }
        }
        h0 = h1;
    }
}

/* out[i] = exp(in[i]) by exp_fn 16 at a time, n a multiple of 16: the tests' view of the exp the kernel uses. */
void tttv2_attention_exp(int64_t exp_fn, const float *in, float *out, int64_t n) {
    attn_exp16 vexp = (attn_exp16) (intptr_t) exp_fn;
    for (int64_t i = 0; i < n; i += 16) {
        _mm512_storeu_ps(out + i, vexp(_mm512_loadu_ps(in + i)));
    }
}
