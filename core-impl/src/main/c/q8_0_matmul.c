/* out [M, N] = x [M, K] · w [N, K]ᵀ for Q8_0 weights, x already in the int8 scratch (int8_quantize.c). */
#include "int8_tile.h"

void tttv2_q8_0_matmul(const uint8_t *scratch, int64_t m, int64_t k, const uint8_t *w, int64_t w_row_bytes,
        int64_t n_from, int64_t n_to, float *out, int64_t out_row) {
    int8_matmul(FMT_Q8_0, scratch, m, k, w, w_row_bytes, n_from, n_to, out, out_row);
}
