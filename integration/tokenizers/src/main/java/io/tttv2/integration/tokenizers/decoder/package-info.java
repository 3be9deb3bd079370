/** Decoders: turn token strings back into text (HF {@code decoders}). */
package io.tttv2.integration.tokenizers.decoder;
