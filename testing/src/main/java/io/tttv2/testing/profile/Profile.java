package io.tttv2.testing.profile;

import java.util.List;

/** The profiled calls of one run, per module kind and phase, in kind order, prefill before decode. */
public record Profile(List<KindProfile> kinds) {

    public static final String PREFILL = "prefill";
    public static final String DECODE = "decode";

    public Profile {
        kinds = List.copyOf(kinds);
    }

    /** The kinds called in {@code phase}. */
    public List<KindProfile> phase(String phase) {
        return kinds.stream().filter(k -> k.phase().equals(phase)).toList();
    }

    /** Own time of every call in {@code phase}: the time spent inside profiled modules. */
    public long selfNanos(String phase) {
        return phase(phase).stream().mapToLong(KindProfile::selfNanos).sum();
    }

    /** The share of {@code phase}'s profiled time that {@code kind} took, 0..1. */
    public double share(KindProfile kind) {
        long total = selfNanos(kind.phase());
        return total == 0 ? 0 : (double) kind.selfNanos() / total;
    }

    public boolean isEmpty() {
        return kinds.isEmpty();
    }
}
