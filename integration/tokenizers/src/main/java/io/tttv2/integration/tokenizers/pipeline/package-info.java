/** The tokenizer pipeline: components wired together from {@code tokenizer.json}, encode and decode. */
package io.tttv2.integration.tokenizers.pipeline;
