package io.tttv2.api.assembly;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a specialization table answered for one module: a hit with the tuned knobs, or a miss saying why.
 *
 * @param key     the key asked for
 * @param hit     true if an entry matched
 * @param tuned   knob → value of the entry (empty on a miss)
 * @param source  the table the entry came from, e.g. {@code io.tttv2.core.impl!/specializations.json}; null on a miss
 * @param message one line: "hit: …", or "miss: no entry for …", or "miss: stale entry …"
 */
public record Specialization(SpecializationKey key, boolean hit, Map<String, Integer> tuned, String source,
                             String message) {

    public Specialization {
        tuned = tuned == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tuned));
    }
}
