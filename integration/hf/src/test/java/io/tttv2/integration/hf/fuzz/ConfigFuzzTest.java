package io.tttv2.integration.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.GenerationConfig;
import io.tttv2.integration.hf.config.HfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as config.json or generation_config.json: read into the typed record, or refused with one line
 * naming the file. Any other exception (a number that overflows, a missing check) is a finding.
 */
class ConfigFuzzTest {
    private static final Path CONFIG = FuzzFiles.path("config.json");
    private static final Path GENERATION_CONFIG = FuzzFiles.path("generation_config.json");

    @FuzzTest(maxDuration = FuzzFiles.LONG_RUN)
    void configJson(byte[] bytes) throws IOException {
        Files.write(CONFIG, bytes);
        try {
            HfConfig config = HfConfig.read(CONFIG);
            config.maxPositionEmbeddings().ifPresent(p -> {
                if (p <= 0) {
                    throw new AssertionError("accepted max_position_embeddings " + p);
                }
            });
        } catch (ConfigFormatException e) {
            FuzzFiles.assertOneLine(CONFIG, e.getMessage());
        }
    }

    @FuzzTest(maxDuration = FuzzFiles.LONG_RUN)
    void generationConfigJson(byte[] bytes) throws IOException {
        Files.write(GENERATION_CONFIG, bytes);
        try {
            GenerationConfig.read(GENERATION_CONFIG);
        } catch (ConfigFormatException e) {
            FuzzFiles.assertOneLine(GENERATION_CONFIG, e.getMessage());
        }
    }
}
