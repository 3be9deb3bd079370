/**
 * Plain, obviously-correct reference implementations of every core module kind — the "torch" of this
 * project. Each computes in double precision with simple loops over row-major arrays, written to be read
 * next to HuggingFace's modeling code, not to be fast. Weights are read once into float arrays (their stored
 * values, BF16/F16 widened exactly) and every product and sum is taken in double.
 *
 * <p>2.0: a decoder layer's parts are a {@link SelfAttentionReference} (standard or latent attention) and a
 * {@link FeedForwardReference} (MLP or mixture of experts). 2.1: the mixed step of several sequences
 * ({@code step} on {@link SelfAttentionReference} and {@link DecoderLayerReference}).
 *
 * <p>Arrays are row-major: {@code x [rows, dim]} is {@code x[r * dim + i]}.
 */
@Export
@Version("2.1.0")
package io.tttv2.testing.reference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
