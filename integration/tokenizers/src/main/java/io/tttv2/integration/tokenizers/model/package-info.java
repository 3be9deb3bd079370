/** Models: turn one pre-tokenized word into token ids (HF {@code models}: BPE, WordPiece). */
package io.tttv2.integration.tokenizers.model;
