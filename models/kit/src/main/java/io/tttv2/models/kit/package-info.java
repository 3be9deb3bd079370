/**
 * The model kit: everything a model bundle needs besides its own mapping of a HuggingFace config and
 * weight names onto the library's blocks. A model describes itself as a {@link io.tttv2.models.kit.DecoderPlan}
 * (one {@link io.tttv2.models.kit.LayerPlan} per layer, so layers may differ) and a
 * {@link io.tttv2.models.kit.WeightMapping} (renames, fused-tensor splits, transposes); its component extends
 * {@link io.tttv2.models.kit.DecoderModelFactory}. The kit checks the checkpoint against the plan, resolves
 * the assembly, binds the modules (rebinding them at step boundaries when implementations change) and runs
 * the model. See docs/adding-a-model.md. 2.1.0: the decoder-only runner advances a mixed batch of prompt
 * chunks and decode tokens in one step ({@code DecoderOnlyRunner.step}).
 * Also 2.1.0: every module built with its own config (defaults, the assembly's overrides per kind and path, the
 * specialization table's tuned knobs); dry runs.
 * 2.2.0: encoders and encoder–decoders alike — {@code EncoderRunners.dryRun}, {@code EncoderDecoderRunners.dryRun},
 * runners taking the specialization table, and {@code EncoderModules}/{@code EncoderDecoderModules} keep the table's
 * answers per module path ({@code specializations}).
 */
@Export
@Version("2.2.0")
package io.tttv2.models.kit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
