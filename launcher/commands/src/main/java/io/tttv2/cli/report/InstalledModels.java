package io.tttv2.cli.report;

import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;

/**
 * The models installed with the distribution ({@code HOME/models/*}): built (not run) while validation is
 * on, so that the coverage report lists the module configurations they use that no validated call exercised.
 */
final class InstalledModels {

    private InstalledModels() {
    }

    /** Loads and closes each installed model; returns the folders loaded. Models that fail to load are skipped. */
    static List<Path> build(BundleContext context, Path home) {
        Path models = home.resolve("models");
        List<Path> loaded = new ArrayList<>();
        if (!Files.isDirectory(models)) {
            return loaded;
        }
        try (Stream<Path> dirs = Files.list(models)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted().toList()) {
                try (Runner runner = new ModelCatalog(context).load(dir, RunnerOptions.defaults())) {
                    loaded.add(dir);
                } catch (UserError e) {
                    // not a model this host can build: nothing it uses can be validated either
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return loaded;
    }
}
