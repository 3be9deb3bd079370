package io.tttv2.integration.tokenizers.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** A model's token ↔ id mapping (ids need not be dense). */
public final class Vocabulary {
    private final Map<String, Integer> ids;
    /** [maxId + 1] id → token, null where no token has that id. */
    private final String[] tokens;

    public Vocabulary(Map<String, Integer> tokenToId) {
        this.ids = new HashMap<>(tokenToId);
        int max = -1;
        for (int id : tokenToId.values()) {
            max = Math.max(max, id);
        }
        this.tokens = new String[max + 1];
        tokenToId.forEach((token, id) -> tokens[id] = token);
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token with {@code id}, or null. */
    public String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    public int size() {
        return ids.size();
    }

    public Map<String, Integer> asMap() {
        return Collections.unmodifiableMap(ids);
    }
}
