package io.tttv2.integration.tokenizers.added;

import io.tttv2.integration.tokenizers.normalizer.Normalizer;
import io.tttv2.integration.tokenizers.pipeline.Piece;
import io.tttv2.integration.tokenizers.text.UnicodeChars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The added tokens and how they are found in text (HF {@code AddedVocabulary::extract_and_normalize}): tokens
 * with {@code normalized: false} are matched in the raw text first; each remaining piece is then normalized and
 * searched for the {@code normalized: true} tokens (whose own content is normalized too). {@code single_word},
 * {@code lstrip} and {@code rstrip} adjust or reject a match exactly as HF does.
 */
public final class AddedVocabulary {
    private final List<AddedToken> tokens;
    private final Map<String, AddedToken> byContent = new HashMap<>();
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final TokenTrie rawTrie = new TokenTrie();
    private final TokenTrie normalizedTrie = new TokenTrie();

    public AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < this.tokens.size(); i++) {
            AddedToken token = this.tokens.get(i);
            byContent.put(token.content(), token);
            byId.put(token.id(), token);
            if (token.normalized()) {
                normalizedTrie.add(normalizer == null ? token.content() : normalizer.normalize(token.content()), i);
            } else {
                rawTrie.add(token.content(), i);
            }
        }
    }

    public List<AddedToken> tokens() {
        return tokens;
    }

    /** The added token with this content, or null. */
    public AddedToken byContent(String content) {
        return byContent.get(content);
    }

    /** The added token with this id, or null. */
    public AddedToken byId(int id) {
        return byId.get(id);
    }

    /**
     * Splits {@code text} into pieces: added tokens (with their ids) and normalized text between them.
     * Empty pieces are dropped, so an empty text gives no pieces.
     */
    public List<Piece> extractAndNormalize(String text, Normalizer normalizer) {
        List<Piece> out = new ArrayList<>();
        for (Piece raw : split(Piece.of(text, true), rawTrie)) {
            if (raw.isAddedToken()) {
                out.add(raw);
                continue;
            }
            Piece normalized = normalizer == null ? raw : raw.withText(normalizer.normalize(raw.text()));
            out.addAll(split(normalized, normalizedTrie));
        }
        return out;
    }

    private List<Piece> split(Piece piece, TokenTrie trie) {
        String s = piece.text();
        List<Piece> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        if (trie.isEmpty()) {
            out.add(piece);
            return out;
        }
        int consumed = 0;
        int searchFrom = 0;
        while (searchFrom < s.length()) {
            long match = trie.longestAt(s, searchFrom);
            if (match < 0) {
                searchFrom++;
                continue;
            }
            int start = searchFrom;
            int stop = (int) (match >>> 32);
            AddedToken token = tokens.get((int) match);
            searchFrom = stop; // matches never overlap, even when this one is discarded below
            if (token.singleWord()) {
                boolean startSpace = start == 0 || !UnicodeChars.isAlphanumeric(s.codePointBefore(start));
                boolean stopSpace = stop == s.length() || !UnicodeChars.isAlphanumeric(s.codePointAt(stop));
                if (!startSpace || !stopSpace) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && UnicodeChars.isWhitespace(s.codePointBefore(newStart))) {
                    newStart -= Character.charCount(s.codePointBefore(newStart));
                }
                start = Math.max(newStart, consumed);
            }
            if (token.rstrip()) {
                while (stop < s.length() && UnicodeChars.isWhitespace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
                searchFrom = stop;
            }
            if (consumed < start) {
                out.add(piece.slice(consumed, start));
            }
            out.add(new Piece(s.substring(start, stop), piece.atOriginalStart() && start == 0, token.id()));
            consumed = stop;
        }
        if (consumed < s.length()) {
            out.add(piece.slice(consumed, s.length()));
        }
        return out;
    }
}
