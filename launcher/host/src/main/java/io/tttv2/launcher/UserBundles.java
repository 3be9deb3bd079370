package io.tttv2.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user's own bundles: every {@code *.jar} of {@code USER_HOME/bundles}, in name order, installed after the
 * distribution's. The folder belongs to the user ({@code ~/.tttv2}, or {@code --home DIR}) and is written only by
 * {@code tttv2 bundles install|remove}, which verify a jar and its signer before it gets there; it is kept across
 * runs and rebuilds. A missing folder is no bundles. Temporary files ({@code .*}) of an install in progress are
 * never listed.
 */
final class UserBundles {

    /** Framework property: the user folder, which the {@code bundles} command manages. */
    static final String USER_HOME_PROPERTY = "tttv2.user.home";

    private UserBundles() {
    }

    static List<Path> list(Path userHome) throws HostStartException {
        Path folder = userHome.resolve("bundles");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".jar") && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new HostStartException("cannot list the user bundles in " + folder + ": " + e.getMessage(), e);
        }
    }
}
