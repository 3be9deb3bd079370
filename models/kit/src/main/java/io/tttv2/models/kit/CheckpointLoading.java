package io.tttv2.models.kit;

import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the kit's model factories (decoder, encoder, encoder–decoder) do alike: read config.json for one of their
 * architectures, and open the checkpoint for a runner, every failure a one-line {@link ModelLoadException}.
 */
final class CheckpointLoading {

    private CheckpointLoading() {
    }

    /**
     * The model {@code describe} makes of {@code modelDirectory}'s config.json (or of a GGUF model file's metadata),
     * once its {@code architectures} names one of {@code supported}.
     */
    static <M> M describe(Path modelDirectory, Set<String> supported, Function<HfConfig, M> describe) {
        try {
            HfConfig config = HfConfig.forModel(modelDirectory);
            String architecture = config.architectures().isEmpty() ? "" : config.architectures().get(0);
            if (!supported.contains(architecture)) {
                throw new ModelLoadException(config.file().getFileName() + ": key 'architectures' expected one of "
                        + String.join(", ", new TreeSet<>(supported)) + ", found " + config.architectures());
            }
            return describe.apply(config);
        } catch (ConfigFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // a spec refused what config.json implies (e.g. heads not divisible by kv heads)
            Path file = GgufFile.isGguf(modelDirectory) ? modelDirectory : modelDirectory.resolve("config.json");
            throw new ModelLoadException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The runner {@code build} makes over the checkpoint in {@code modelDirectory} (or a GGUF model file); the
     * checkpoint is closed if it fails.
     */
    static <R> R open(Path modelDirectory, Function<Checkpoint, R> build) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(modelDirectory);
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        try {
            return build.apply(checkpoint);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e instanceof CheckpointFormatException ? new ModelLoadException(e.getMessage(), e) : e;
        }
    }
}
