package io.tttv2.tests;

import java.util.ArrayList;
import java.util.List;

/**
 * The package names of an OSGi {@code Import-Package} header. Clauses are separated by commas and their
 * parts by semicolons, except inside quoted values ({@code version="[1.0,2)"}); the leading parts of a
 * clause that are not attributes or directives are package names ({@code a.b;c.d;version=1}).
 */
public final class ImportedPackages {

    private ImportedPackages() {
    }

    /** The packages named by {@code header}, in order; none for a null or blank header. */
    public static List<String> of(String header) {
        List<String> packages = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return packages;
        }
        for (String clause : splitOutsideQuotes(header, ',')) {
            for (String part : splitOutsideQuotes(clause, ';')) {
                if (part.contains("=")) {
                    break; // an attribute (a=b) or directive (a:=b): no more package names in this clause
                }
                packages.add(part.trim());
            }
        }
        return packages;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
