/**
 * The op library ("our TTNN"): the operations modules are built from, and the device that runs them. 2.0:
 * dense attention over padded batches with a mask and an additive bias (encoders), attention over caches whose
 * values are narrower than the keys or read from them (latent attention). 2.1: matmul with a worker split. 2.2: AttentionParams.kvTile (online-softmax tiles over
 * the paged cache); matmulGroup (several weights of one x as one op).
 */
@Export
@Version("2.2.0")
package io.tttv2.api.ops;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
