/** Pre-tokenizers: split normalized text into words before the model sees them (HF {@code pre_tokenizers}). */
package io.tttv2.integration.tokenizers.pretokenizer;
