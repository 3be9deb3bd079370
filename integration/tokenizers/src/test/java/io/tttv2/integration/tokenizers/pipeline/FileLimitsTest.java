package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are read up to a stated size, so a huge file or an endless device is one line, quickly. */
class FileLimitsTest {
    @TempDir
    Path dir;

    @Test
    void anEndlessTokenizerFileEndsQuickly() {
        TokenizerException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(TokenizerException.class, () -> Tokenizer.load(Path.of("/dev/zero"))));
        assertEquals("/dev/zero: expected JSON of at most 256 MiB, found a larger file", e.getMessage());
    }

    @Test
    void aTemplateFileLargerThanAnyRealOneIsRefused() throws IOException {
        Path file = dir.resolve("chat_template.jinja");
        Files.writeString(file, "x".repeat((1 << 20) + 1));
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertEquals(file + ": expected a template of at most 1 MiB, found a larger file", e.getMessage());
    }
}
