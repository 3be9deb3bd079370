/** Post-processors: add special tokens around an encoded sequence (HF {@code processors}). */
package io.tttv2.integration.tokenizers.processor;
