package io.tttv2.integration.tokenizers.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.added.AddedToken;
import io.tttv2.integration.tokenizers.added.AddedVocabulary;
import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.model.Model;
import io.tttv2.integration.tokenizers.normalizer.Normalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link HfTokenizer} from {@code tokenizer.json}. */
public final class TokenizerLoader {
    /** HF's reader (serde_json) refuses anything after the object; so does this one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TokenizerLoader() {
    }

    public static Tokenizer load(Path file) {
        return load(file, readJson(file));
    }

    /** Builds the tokenizer a parsed tokenizer.json describes; errors name {@code file}. */
    public static Tokenizer load(Path file, JsonNode json) {
        JsonValue root = JsonValue.root(file, json);
        if (!root.node().isObject()) {
            throw root.error("is not a tokenizer.json object");
        }
        Normalizer normalizer = NormalizerReader.read(root.get("normalizer"));
        List<AddedToken> added = addedTokens(root.get("added_tokens"));
        Model model = ModelReader.read(root.get("model"));
        // the ids a post-processor inserts must be tokens: an id nothing decodes was a silent hole in the output
        Set<Integer> addedIds = new HashSet<>();
        added.forEach(t -> addedIds.add(t.id()));
        IntPredicate known = id -> addedIds.contains(id) || model.vocabulary().token(id) != null;
        return new HfTokenizer(
                new AddedVocabulary(added, normalizer),
                normalizer,
                PreTokenizerReader.read(root.get("pre_tokenizer")),
                model,
                PostProcessorReader.read(root.get("post_processor"), known),
                DecoderReader.read(root.get("decoder")));
    }

    /**
     * The largest JSON file read (README, "Limits"): real tokenizer.json files reach tens of megabytes; the bound
     * keeps a huge file or a device such as /dev/zero from filling the heap.
     */
    static final int MAX_FILE_BYTES = 256 << 20;

    /** Parses a JSON file; a missing, unreadable, oversized or malformed file is a one-line error naming it. */
    public static JsonNode readJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new TokenizerException(file + ": expected JSON of at most " + (MAX_FILE_BYTES >> 20)
                        + " MiB, found a larger file");
            }
            return JSON.readTree(bytes);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": no such file");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new TokenizerException(file + ": malformed JSON" + where + " ("
                    + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ") + ")");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot be read (" + e + ")");
        }
    }

    private static List<AddedToken> addedTokens(JsonValue json) {
        List<AddedToken> tokens = new ArrayList<>();
        if (json.isNull()) {
            return tokens;
        }
        for (JsonValue t : json.elements()) {
            boolean special = t.bool("special", false);
            tokens.add(new AddedToken(t.required("id").asId(), t.string("content"), t.bool("single_word", false),
                    t.bool("lstrip", false), t.bool("rstrip", false), t.bool("normalized", !special), special));
        }
        return tokens;
    }
}
