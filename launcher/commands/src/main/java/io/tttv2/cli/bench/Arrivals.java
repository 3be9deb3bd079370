package io.tttv2.cli.bench;

import java.util.Locale;

/**
 * When the serving benchmark's C clients send their first requests; after that each client sends its next
 * request as soon as its last one ends (a closed loop).
 */
enum Arrivals {

    /**
     * Client c (0 .. C-1) sends its first request c/C of one request's duration after client 0, as load tools
     * ramp up: with equal lengths the loop then stays staggered, and requests arrive one at a time, as traffic
     * does, beside the others' decodes.
     */
    RAMP,

    /**
     * Every client sends its first request at once: with equal prompt lengths and {@code max_tokens} every
     * round of C requests then arrives in one instant and is prefilled together, so the last prompt of each
     * wave sets time to first token.
     */
    LOCKSTEP;

    /** The option's value: {@code ramp} or {@code lockstep}. */
    static Arrivals parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "ramp" -> RAMP;
            case "lockstep" -> LOCKSTEP;
            default -> throw new IllegalArgumentException("--arrivals: expected ramp or lockstep, found " + value);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
