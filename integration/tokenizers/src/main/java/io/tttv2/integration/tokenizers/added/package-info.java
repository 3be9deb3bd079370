/** Added tokens: matched in the raw or normalized text before the model sees it (HF {@code AddedVocabulary}). */
package io.tttv2.integration.tokenizers.added;
