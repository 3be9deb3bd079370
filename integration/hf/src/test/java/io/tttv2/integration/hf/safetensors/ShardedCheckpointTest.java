package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of the llama-sharded fixture, broken one way at a time. */
class ShardedCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAST_SHARD = "model-00008-of-00008.safetensors";

    @TempDir
    Path dir;

    private Path index;

    @BeforeEach
    void copyFixture() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.model("llama-sharded"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("model")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        index = dir.resolve(Checkpoint.INDEX_FILE_NAME);
    }

    private void editWeightMap(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(index.toFile());
        edit.accept((ObjectNode) root.get("weight_map"));
        JSON.writeValue(index.toFile(), root);
    }

    private String refusal() {
        return assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(dir)).getMessage();
    }

    @Test
    void theIntactCopyOpens() {
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(20, c.names().size());
            assertEquals(dir, c.location());
            assertEquals(dir.resolve("model-00001-of-00008.safetensors"), c.entry("model.embed_tokens.weight").file());
        }
    }

    @Test
    void missingShardFile() throws IOException {
        Files.delete(dir.resolve(LAST_SHARD));
        assertEquals(index + ": tensor 'model.layers.1.input_layernorm.weight' maps to shard '" + LAST_SHARD
                + "', expected that file in " + dir + ", found none", refusal());
    }

    @Test
    void tensorMappedToAShardThatDoesNotHoldIt() throws IOException {
        editWeightMap(m -> m.put("model.norm.weight", "model-00001-of-00008.safetensors"));
        assertEquals(index + ": tensor 'model.norm.weight' expected in shard 'model-00001-of-00008.safetensors', found"
                + " absent from that file", refusal());
    }

    @Test
    void tensorInAShardButNotInTheIndex() throws IOException {
        editWeightMap(m -> m.remove("model.norm.weight"));
        assertEquals(dir.resolve(LAST_SHARD) + ": tensor 'model.norm.weight' expected in the weight_map of"
                + " model.safetensors.index.json, found absent from it", refusal());
    }

    @Test
    void tensorInTwoShards() throws IOException {
        // shard 8 gains a copy of the embedding, which the index maps to shard 1
        Path last = dir.resolve(LAST_SHARD);
        Path rewritten = dir.resolve("rewritten.tmp");
        try (SafetensorsFile s8 = SafetensorsFile.open(last);
             SafetensorsFile s1 = SafetensorsFile.open(dir.resolve("model-00001-of-00008.safetensors"))) {
            SafetensorsWriter w = new SafetensorsWriter();
            s8.entries().forEach(w::add);
            w.add(s1.entry("model.embed_tokens.weight"));
            w.write(rewritten);
        }
        Files.move(rewritten, last, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(last + ": tensor 'model.embed_tokens.weight' expected only in shard"
                + " 'model-00001-of-00008.safetensors' (per model.safetensors.index.json), found in this shard too",
                refusal());
    }

    @Test
    void shardNameOutsideTheDirectory() throws IOException {
        editWeightMap(m -> m.put("model.norm.weight", "../model-00008-of-00008.safetensors"));
        assertEquals(index + ": weight_map tensor 'model.norm.weight' expected a shard file name in " + dir
                + ", found \"../model-00008-of-00008.safetensors\"", refusal());
    }

    @Test
    void shardNameThatIsNotAString() throws IOException {
        editWeightMap(m -> m.put("model.norm.weight", 8));
        assertEquals(index + ": weight_map tensor 'model.norm.weight' expected a shard file name in " + dir
                + ", found 8", refusal());
    }

    @Test
    void aNameMappedTwice() throws IOException {
        String text = Files.readString(index).replace("\"weight_map\": {",
                "\"weight_map\": {\n    \"model.norm.weight\": \"model-00001-of-00008.safetensors\",");
        Files.writeString(index, text);
        String m = refusal();
        assertTrue(m.startsWith(index + ": expected a JSON object, found invalid JSON (Duplicate"), m);
        assertTrue(m.contains("model.norm.weight"), m);
    }

    @Test
    void indexWithoutWeightMap() throws IOException {
        Files.writeString(index, "{\"metadata\": {}}");
        assertEquals(index + ": missing required key 'weight_map'", refusal());
    }

    @Test
    void corruptShardIsNamed() throws IOException {
        Path shard = dir.resolve("model-00003-of-00008.safetensors");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        String m = refusal();
        assertTrue(m.startsWith(shard + ": tensor '"), m);
        assertTrue(m.endsWith("(file truncated?)"), m);
    }

    @Test
    void aSingleFileWinsOverAnIndexAsInHuggingFace() throws IOException {
        new SafetensorsWriter().addF32("only", new long[] {1}, new float[] {1}).write(dir.resolve("model.safetensors"));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(List.of("only"), c.names());
            assertEquals(List.of(dir.resolve("model.safetensors")), c.files());
        }
    }

    @Test
    void aSafetensorsFileCanBeOpenedDirectly() {
        Path file = dir.resolve(LAST_SHARD);
        try (Checkpoint c = Checkpoint.open(file)) {
            assertTrue(c.contains("model.norm.weight"));
            assertEquals(file + ": tensor 'lm_head.weight' is missing from the checkpoint",
                    assertThrows(CheckpointFormatException.class, () -> c.entry("lm_head.weight")).getMessage());
        }
    }

    @Test
    void directoryWithoutWeights(@TempDir Path empty) {
        assertEquals(empty + ": expected model.safetensors or model.safetensors.index.json, found neither",
                assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(empty)).getMessage());
        Path nowhere = empty.resolve("nowhere");
        assertEquals(nowhere + ": expected a checkpoint directory or a safetensors file, found nothing there",
                assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(nowhere)).getMessage());
    }
}
