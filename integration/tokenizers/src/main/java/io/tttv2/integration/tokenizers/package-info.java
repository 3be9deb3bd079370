/**
 * HuggingFace tokenizers ({@code tokenizer.json}) and chat templates: what other bundles use to turn text
 * into token ids and back, to stream generated text, and to render a conversation into a prompt.
 *
 * <p>Encoding follows the HuggingFace {@code tokenizers} pipeline exactly: added tokens, normalizer,
 * pre-tokenizer, model (BPE or WordPiece), post-processor; decoding runs the decoder chain.
 */
@Export
@Version("1.2.0")
package io.tttv2.integration.tokenizers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
