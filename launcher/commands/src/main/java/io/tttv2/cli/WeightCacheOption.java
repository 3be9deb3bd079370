package io.tttv2.cli;

import io.tttv2.integration.hf.cache.WeightCache;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --weight-cache DIR} / {@code --no-weight-cache}, shared by the model commands that take {@code --quantize}. */
public final class WeightCacheOption {

    @Option(names = "--weight-cache", paramLabel = "DIR", description = {
            "Where weights converted at load (--quantize) are written once and memory-mapped by later loads",
            "(default: ~/.cache/tttv2/weights)."})
    Path directory;

    @Option(names = "--no-weight-cache", description = "Convert in memory on every load; read and write no cache.")
    boolean disabled;

    /** The cache folder to use, or null for none. */
    public Path directory() {
        if (disabled) {
            if (directory != null) {
                throw new UserError("--weight-cache and --no-weight-cache expected one or the other, found both", 2, null);
            }
            return null;
        }
        return directory != null ? directory : WeightCache.defaultDirectory();
    }
}
