/** Normalizers: rewrite text before pre-tokenization (HF {@code normalizers}). */
package io.tttv2.integration.tokenizers.normalizer;
