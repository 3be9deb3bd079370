/**
 * The paged KV cache: fixed-size blocks of keys and values drawn from a pool, a block table per
 * sequence, so that many sequences of different lengths share one cache (as vLLM does).
 */
@Export
@Version("1.0.0")
package io.tttv2.api.kv;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
