package io.tttv2.cli.validate;

import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;

/** {@code --dump}: what validate computed, under the reference's key names, as safetensors. */
final class OutputsFile {

    private OutputsFile() {
    }

    static void write(Path file, ComputedOutputs outputs) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("producer", "tttv2 validate");
        outputs.addTo(writer);
        writer.write(file);
    }
}
