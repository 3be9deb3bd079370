/**
 * The core module implementations, one sub-package per concept: {@code norm} (RMSNorm, LayerNorm),
 * {@code rotary} (RoPE tables for HF's rope types), {@code attention} (grouped-query attention over the
 * paged KV cache), {@code backend} (softmax(QKᵀ)V over the cache, the part of attention HF swaps),
 * {@code mlp} (gated and plain), {@code embedding}, {@code position} (learned absolute positions),
 * {@code lmhead} and {@code decoder} (the residual patterns). Each is offered by a Declarative Services factory registered with its
 * candidate's name, version and tier, and declared in the bundle's manifest.
 *
 * <p>Modules compute only through the {@code Ops} of the {@code Device} they are built with. Static choices
 * are bound at construction; workspaces are allocated there too ({@code maxBatch} rows for decode,
 * {@code prefillChunk} rows for prefill, longer prefills running in chunks), so a warm decode step
 * allocates nothing in the modules. A module instance runs one prefill and one decode at a time (they
 * use separate workspaces, so one of each may overlap on different threads).
 */
package io.tttv2.core.modules;
