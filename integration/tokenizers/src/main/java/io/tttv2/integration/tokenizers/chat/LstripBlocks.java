package io.tttv2.integration.tokenizers.chat;

import java.util.regex.Pattern;

/**
 * Jinja2's {@code lstrip_blocks}: spaces and tabs between the start of a line and a block or comment tag are
 * removed. Applied to the template text because Jinjava's own option also strips them when the tag follows
 * other text on the line ({@code >>> {% endif %}} loses its space), which Jinja2 does not.
 */
final class LstripBlocks {
    /** Indentation at a line start, before {@code {%} or {@code {#} not followed by {@code +} or {@code -}. */
    private static final Pattern INDENTED_TAG = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?![+-]))");

    private LstripBlocks() {
    }

    static String apply(String template) {
        return INDENTED_TAG.matcher(template).replaceAll("");
    }
}
