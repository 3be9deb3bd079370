package io.tttv2.integration.hf.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a cached file was converted from, into what, by which code: all three must match for a file to be
 * used. The file's name depends on the source and the layout only, so a newer library finds the older
 * library's file, sees the version differ, and rebuilds it in place rather than leaving it behind.
 *
 * @param source         identity of the source weights (see {@link #sourceIdentity})
 * @param layout         the target layout, e.g. {@code "q8_0"} or {@code "bf16/packed-16x4"}
 * @param libraryVersion the version of the code that converts (a new converter may lay bytes out differently)
 */
public record WeightCacheKey(String source, String layout, String libraryVersion) {

    public WeightCacheKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
    }

    /**
     * The identity of source files without reading their contents: each one's absolute path, size and
     * modification time, hashed. Rewriting a checkpoint in place changes its time (and usually its size).
     *
     * @throws IOException if a file's attributes cannot be read
     */
    public static String sourceIdentity(List<Path> files) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Path f : files) {
            Path absolute = f.toAbsolutePath().normalize();
            s.append(absolute).append('\t').append(Files.size(absolute)).append('\t')
                    .append(Files.getLastModifiedTime(absolute).toMillis()).append('\n');
        }
        return sha256(s.toString());
    }

    /** {@code w-<hash of source and layout>.tttv2w}: one file per model and layout. */
    public String fileName() {
        return "w-" + sha256(source + "\n" + layout).substring(0, 32) + ".tttv2w";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
