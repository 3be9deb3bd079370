package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.Encoding;
import io.tttv2.integration.tokenizers.StreamingDecoder;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.added.AddedToken;
import io.tttv2.integration.tokenizers.added.AddedVocabulary;
import io.tttv2.integration.tokenizers.decoder.Decoder;
import io.tttv2.integration.tokenizers.model.Model;
import io.tttv2.integration.tokenizers.normalizer.Normalizer;
import io.tttv2.integration.tokenizers.pretokenizer.PreTokenizer;
import io.tttv2.integration.tokenizers.processor.PostProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * HF {@code TokenizerImpl} for single sequences and pairs: added tokens → normalizer → pre-tokenizer → model →
 * post-processor to encode; id → token (added tokens first) → decoder to decode. Each component may be absent.
 */
public final class HfTokenizer implements Tokenizer {
    private final AddedVocabulary addedVocabulary;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    /** [k] ids of special added tokens, ascending. */
    private final int[] specialIds;
    private final int vocabSize;

    public HfTokenizer(AddedVocabulary addedVocabulary, Normalizer normalizer, PreTokenizer preTokenizer, Model model,
                       PostProcessor postProcessor, Decoder decoder) {
        this.addedVocabulary = addedVocabulary;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.specialIds = addedVocabulary.tokens().stream().filter(AddedToken::special).mapToInt(AddedToken::id)
                .distinct().sorted().toArray();
        Set<Integer> ids = new HashSet<>(model.vocabulary().asMap().values());
        addedVocabulary.tokens().forEach(t -> ids.add(t.id()));
        this.vocabSize = ids.size();
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        return encode(text, null, addSpecialTokens, 0);
    }

    @Override
    public Encoding encode(String first, String second, boolean addSpecialTokens, int maxLength) {
        Encoding a = sequence(first);
        Encoding b = second == null ? null : sequence(second).withTypeId(1);
        if (maxLength > 0) {
            int special = addSpecialTokens ? addedTokens(b != null) : 0;
            if (maxLength < special) {
                throw new TokenizerException("cannot truncate to " + maxLength + " tokens: the "
                        + (b != null ? "pair" : "text") + " needs " + special + " special tokens");
            }
            Encoding[] truncated = LongestFirst.truncate(a, b, maxLength - special);
            a = truncated[0];
            b = truncated[1];
        }
        List<Encoding> parts = b == null ? List.of(a) : List.of(a, b);
        if (postProcessor != null) {
            parts = postProcessor.process(parts, addSpecialTokens);
        }
        return parts.size() == 1 ? parts.get(0) : Encoding.concat(parts);
    }

    @Override
    public int addedTokens(boolean pair) {
        return postProcessor == null ? 0 : postProcessor.addedTokens(pair);
    }

    /** One text through added tokens, normalizer, pre-tokenizer and model: its tokens, all of type 0. */
    private Encoding sequence(String text) {
        List<Piece> pieces = addedVocabulary.extractAndNormalize(text, normalizer);
        if (preTokenizer != null) {
            pieces = preTokenizer.apply(pieces);
        }
        int[] ids = new int[Math.max(16, text.length())];
        List<String> tokens = new ArrayList<>();
        int count = 0;
        for (Piece piece : pieces) {
            int[] pieceIds = piece.isAddedToken() ? new int[] {piece.addedTokenId()} : model.tokenize(piece.text());
            if (count + pieceIds.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, count + pieceIds.length));
            }
            for (int id : pieceIds) {
                ids[count++] = id;
                tokens.add(piece.isAddedToken() ? piece.text() : model.vocabulary().token(id));
            }
        }
        return new Encoding(Arrays.copyOf(ids, count), tokens);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedToken added = addedVocabulary.byId(id);
            String token = added != null ? added.content() : model.vocabulary().token(id);
            if (token == null) {
                continue; // unknown ids are dropped, as HF does
            }
            if (skipSpecialTokens) {
                AddedToken asAdded = addedVocabulary.byContent(token);
                if (asAdded != null && asAdded.special()) {
                    continue;
                }
            }
            tokens.add(token);
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    @Override
    public int tokenId(String token) {
        AddedToken added = addedVocabulary.byContent(token);
        return added != null ? added.id() : model.vocabulary().id(token);
    }

    @Override
    public String idToToken(int id) {
        AddedToken added = addedVocabulary.byId(id);
        return added != null ? added.content() : model.vocabulary().token(id);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] specialTokenIds() {
        return specialIds.clone();
    }

    @Override
    public boolean isSpecial(int id) {
        return Arrays.binarySearch(specialIds, id) >= 0;
    }

    @Override
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new PrefixWindowDecoder(this, skipSpecialTokens);
    }
}
