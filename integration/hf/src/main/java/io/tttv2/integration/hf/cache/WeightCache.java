package io.tttv2.integration.hf.cache;

import io.tttv2.api.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A folder of converted weights ({@code ~/.cache/tttv2/weights} by default). {@link #load} maps the file for
 * a key if there is a valid one, and otherwise converts in memory and writes the result for next time:
 *
 * <pre>{@code
 * WeightCache cache = new WeightCache(WeightCache.defaultDirectory(), System.err::println);
 * Map<String, Tensor> weights = cache.load(key, () -> quantiseAll(checkpoint));   // name → tensor
 * }</pre>
 *
 * Whatever goes wrong with the cache — a stale, torn or corrupt file, a read-only or full disk — costs one
 * notice and the conversion, never a wrong tensor and never the load.
 */
@ProviderType
public final class WeightCache {
    private final Path directory;
    private final Consumer<String> notices;

    /**
     * @param directory where cache files live (created when first written)
     * @param notices   receives one line per problem met (stale file rebuilt, unwritable folder, …)
     */
    public WeightCache(Path directory, Consumer<String> notices) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /** {@code $XDG_CACHE_HOME/tttv2/weights}, else {@code ~/.cache/tttv2/weights}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tttv2").resolve("weights");
    }

    public Path directory() {
        return directory;
    }

    /** The file that holds {@code key}'s weights (it may not exist). */
    public Path file(WeightCacheKey key) {
        return directory.resolve(key.fileName());
    }

    /**
     * The cached tensors of {@code key}, mapped from disk (the source is not read); or, when there is no valid
     * file, {@code convert}'s tensors, which are then written for the next load (a failure to write is a
     * notice: the converted tensors are returned all the same).
     */
    public Map<String, Tensor> load(WeightCacheKey key, Supplier<Map<String, Tensor>> convert) {
        Map<String, Tensor> cached = read(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Tensor> converted = convert.get();
        write(key, converted);
        return converted;
    }

    /** The mapped tensors of a valid file for {@code key}, or null (a notice says why, unless there is no file). */
    public Map<String, Tensor> read(WeightCacheKey key) {
        Path file = file(key);
        if (!Files.exists(file)) {
            return null;     // nothing cached yet (or a folder that cannot exist): no notice, the write will say
        }
        try {
            return WeightCacheFile.read(file, key, Arena.ofAuto());
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnusableCacheFile e) {
            notices.accept("weight cache " + e.getMessage() + "; converting again");
        } catch (IOException | RuntimeException e) {
            notices.accept("weight cache " + file + ": cannot be read (" + describe(e) + "); converting again");
        }
        return null;
    }

    /** Writes {@code tensors} for {@code key}; returns false (after a notice) if the folder cannot take them. */
    public boolean write(WeightCacheKey key, Map<String, Tensor> tensors) {
        try {
            Files.createDirectories(directory);
            WeightCacheFile.write(file(key), key, tensors);
            return true;
        } catch (IOException | RuntimeException e) {
            notices.accept("weight cache " + directory + ": cannot write (" + describe(e)
                    + "); using the weights converted in memory");
            return false;
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
    }
}
