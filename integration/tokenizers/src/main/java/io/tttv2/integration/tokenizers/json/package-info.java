/** Reading {@code tokenizer.json} and {@code tokenizer_config.json} with errors that name the file and JSON path. */
package io.tttv2.integration.tokenizers.json;
