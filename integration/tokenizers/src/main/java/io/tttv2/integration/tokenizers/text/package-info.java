/** Unicode and byte helpers with the exact semantics of the Rust crates HuggingFace tokenizers uses. */
package io.tttv2.integration.tokenizers.text;
