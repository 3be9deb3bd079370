package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * In OSGi the caller's thread context class loader cannot see the Jinjava jars embedded in this bundle, and
 * Jinjava's expression engine loads classes through that loader. Loading and rendering must not depend on it.
 */
class ChatTemplateClassLoaderTest {

    @Test
    void loadsAndRendersWhenTheContextClassLoaderSeesNothing() throws Exception {
        Path dir = Fixtures.tokenizersDir().resolve(Fixtures.BYTELEVEL);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.set(ChatTemplate.load(dir).render(List.of(new ChatMessage("user", "hi")), true));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        try (URLClassLoader blind = new URLClassLoader(new URL[0], null)) {
            caller.setContextClassLoader(blind);
            caller.start();
            caller.join();
        }
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", String.valueOf(outcome.get()));
    }
}
