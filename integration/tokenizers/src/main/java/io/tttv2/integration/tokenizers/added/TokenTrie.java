package io.tttv2.integration.tokenizers.added;

import java.util.HashMap;
import java.util.Map;

/**
 * A character trie over added-token strings, giving leftmost-longest matches (the Aho-Corasick
 * {@code MatchKind::LeftmostLongest} that HF uses): the earliest start wins, then the longest token there.
 */
final class TokenTrie {
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int tokenIndex = -1;
    }

    private final Node root = new Node();
    private boolean empty = true;
    /** Characters that start some token: most positions of a text are rejected with one bit test. */
    private final java.util.BitSet firstChars = new java.util.BitSet(128);

    void add(String pattern, int tokenIndex) {
        if (pattern.isEmpty()) {
            return;
        }
        firstChars.set(pattern.charAt(0));
        Node node = root;
        for (int i = 0; i < pattern.length(); i++) {
            node = node.children.computeIfAbsent(pattern.charAt(i), c -> new Node());
        }
        if (node.tokenIndex < 0) {
            node.tokenIndex = tokenIndex;
        }
        empty = false;
    }

    boolean isEmpty() {
        return empty;
    }

    /**
     * The longest token starting exactly at {@code start}: returns {@code (end << 32) | tokenIndex}, or -1.
     */
    long longestAt(String text, int start) {
        if (!firstChars.get(text.charAt(start))) {
            return -1;
        }
        Node node = root;
        long best = -1;
        for (int i = start; i < text.length(); i++) {
            node = node.children.get(text.charAt(i));
            if (node == null) {
                break;
            }
            if (node.tokenIndex >= 0) {
                best = ((long) (i + 1) << 32) | node.tokenIndex;
            }
        }
        return best;
    }
}
