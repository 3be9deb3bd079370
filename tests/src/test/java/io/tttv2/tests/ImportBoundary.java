package io.tttv2.tests;

import java.util.List;

/**
 * What a bundle may import (DESIGN.md "Boundaries"), as package patterns: {@code java.*} matches
 * {@code java} and every package under it; a pattern without a star matches that package only.
 *
 * @param bundle  the bundle's symbolic name, for messages
 * @param allowed the patterns, for example {@code io.tttv2.api.*}
 */
public record ImportBoundary(String bundle, List<String> allowed) {

    public ImportBoundary {
        allowed = List.copyOf(allowed);
    }

    /** The packages of {@code imported} that no allowed pattern matches, each as one line naming the bundle. */
    public List<String> violations(List<String> imported) {
        return imported.stream()
                .filter(p -> allowed.stream().noneMatch(pattern -> matches(pattern, p)))
                .map(p -> bundle + " imports " + p + ", outside its boundary " + allowed)
                .toList();
    }

    static boolean matches(String pattern, String packageName) {
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return packageName.equals(prefix) || packageName.startsWith(prefix + ".");
        }
        return packageName.equals(pattern);
    }
}
