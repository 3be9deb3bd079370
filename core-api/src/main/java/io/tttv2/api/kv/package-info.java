/**
 * The paged KV cache: fixed-size blocks of keys and values drawn from a pool, a block table per
 * sequence, so that many sequences of different lengths share one cache (as vLLM does). 2.0: entries are
 * described by a key width and a value width (0: no separate values, MLA's latent cache) instead of one head
 * dim for K and V alike. 2.1: prefix sharing — a block table forks ({@code BlockTable.fork}), blocks are
 * reference-counted and copied on write ({@code PagedKvCache.sharesBlocks}).
 */
@Export
@Version("2.1.0")
package io.tttv2.api.kv;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
