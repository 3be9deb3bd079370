/**
 * HuggingFace {@code config.json} and {@code generation_config.json} as typed, immutable records
 * ({@link io.tttv2.integration.hf.config.HfConfig}, {@link io.tttv2.integration.hf.config.RopeParameters},
 * {@link io.tttv2.integration.hf.config.GenerationConfig}), with HuggingFace's key names and defaults. The raw
 * JSON stays reachable ({@link io.tttv2.integration.hf.config.ConfigJson}) for keys only one model family uses.
 * Every error is one line naming the file, the key, the expected and the found value.
 */
@Export
@Version("1.1.0")
package io.tttv2.integration.hf.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
