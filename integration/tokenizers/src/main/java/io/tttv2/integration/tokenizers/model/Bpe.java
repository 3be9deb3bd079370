package io.tttv2.integration.tokenizers.model;

import io.tttv2.integration.tokenizers.TokenizerException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code BPE}: a word is cut into characters (with {@code continuing_subword_prefix} on all but the first and
 * {@code end_of_word_suffix} on the last), characters missing from the vocabulary become {@code <0xNN>} byte
 * tokens ({@code byte_fallback}) or the unknown token (fused if {@code fuse_unk}), then merges are applied by
 * rank ({@link BpeWord}). With {@code ignore_merges} a word that is itself in the vocabulary is one token.
 * Results for words shorter than 256 bytes are cached, as HF does; {@code dropout} is ignored (deterministic).
 */
public final class Bpe implements Model {
    /** HF's cache bounds: entries, and the byte length under which a word is cached. */
    private static final int CACHE_CAPACITY = 10_000;
    private static final int CACHE_MAX_WORD_BYTES = 256;

    private final Vocabulary vocabulary;
    private final MergeTable merges;
    private final String unkToken;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    /** [256] id of {@code <0xNN>} for each byte, or -1. */
    private final int[] byteTokenIds = new int[256];
    /**
     * [0x10000] id of each single-character BMP token, or -1: the initial symbols of a word without a substring
     * and a hash lookup per character. Used only when no prefix or suffix decorates the characters.
     */
    private final int[] bmpCharIds;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    public Bpe(Vocabulary vocabulary, MergeTable merges, String unkToken, String continuingSubwordPrefix,
               String endOfWordSuffix, boolean fuseUnk, boolean byteFallback, boolean ignoreMerges) {
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.unkToken = unkToken;
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) {
            byteTokenIds[b] = vocabulary.id(String.format("<0x%02X>", b));
        }
        if (continuingSubwordPrefix == null && endOfWordSuffix == null) {
            bmpCharIds = new int[0x10000];
            java.util.Arrays.fill(bmpCharIds, -1);
            vocabulary.asMap().forEach((token, id) -> {
                if (token.length() == 1) {
                    bmpCharIds[token.charAt(0)] = id;
                }
            });
        } else {
            bmpCharIds = null;
        }
    }

    @Override
    public int[] tokenize(String word) {
        if (word.isEmpty()) {
            return new int[0];
        }
        if (ignoreMerges) {
            int whole = vocabulary.id(word);
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached.clone();
        }
        int[] ids = mergeWord(word);
        if (cache.size() < CACHE_CAPACITY && utf8Length(word) < CACHE_MAX_WORD_BYTES) {
            cache.put(word, ids.clone());
        }
        return ids;
    }

    /** HF {@code merge_word}: initial symbols, then every merge. */
    private int[] mergeWord(String word) {
        int[] symbols = new int[word.length() * 4 + 1];
        int count = 0;
        int unkId = -1;
        boolean unkPending = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int end = i + Character.charCount(cp);
            int id = bmpCharIds != null && cp < 0x10000 ? bmpCharIds[cp] : -2;
            if (id >= 0) {
                // fast path: a known single character, no prefix or suffix
                if (unkPending) {
                    symbols[count++] = unkId;
                    unkPending = false;
                }
                symbols[count++] = id;
                i = end;
                continue;
            }
            boolean first = i == 0;
            boolean last = end == word.length();
            String symbol = word.substring(i, end);
            if (!first && continuingSubwordPrefix != null) {
                symbol = continuingSubwordPrefix + symbol;
            }
            if (last && endOfWordSuffix != null) {
                symbol = symbol + endOfWordSuffix;
            }
            i = end;
            id = id == -1 ? -1 : vocabulary.id(symbol);
            if (id >= 0) {
                if (unkPending) {
                    symbols[count++] = unkId;
                    unkPending = false;
                }
                symbols[count++] = id;
                continue;
            }
            if (byteFallback) {
                byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
                boolean allKnown = true;
                for (byte b : bytes) {
                    allKnown &= byteTokenIds[b & 0xFF] >= 0;
                }
                if (allKnown) {
                    // As in HF, a pending unknown token is not flushed before byte tokens.
                    if (count + bytes.length > symbols.length) {
                        symbols = Arrays.copyOf(symbols, (count + bytes.length) * 2);
                    }
                    for (byte b : bytes) {
                        symbols[count++] = byteTokenIds[b & 0xFF];
                    }
                    continue;
                }
            }
            if (unkToken != null) {
                int unk = vocabulary.id(unkToken);
                if (unk < 0) {
                    throw new TokenizerException("model.unk_token '" + unkToken + "' is not in model.vocab, and the text holds a"
                            + " character the vocabulary lacks (HF refuses it too: UnkTokenOutOfVocabulary)");
                }
                if (unkPending && !fuseUnk) {
                    symbols[count++] = unkId;
                }
                unkId = unk;
                unkPending = true;
            }
        }
        if (unkPending) {
            symbols[count++] = unkId;
        }
        if (count <= 1) {
            return Arrays.copyOf(symbols, count);
        }
        return new BpeWord(symbols, count).mergeAll(merges);
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }
}
