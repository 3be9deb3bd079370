package io.tttv2.cli.validate;

import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code --dump}: what validate computed, under the reference's key names, as safetensors. */
final class OutputsFile {

    private OutputsFile() {
    }

    static void write(Path file, ModelValidation.Outputs o) throws IOException {
        new SafetensorsWriter()
                .metadata("producer", "tttv2 validate")
                .addF32("logits", longs(o.logitsShape()), o.logits())
                .addF32("hidden_states", longs(o.hiddenShape()), o.hiddenStates())
                .addF32("decode_logits", longs(o.decodeShape()), o.decodeLogits())
                .addI64("generated_ids", longs(o.generatedShape()), o.generatedIds())
                .write(file);
    }

    private static long[] longs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
