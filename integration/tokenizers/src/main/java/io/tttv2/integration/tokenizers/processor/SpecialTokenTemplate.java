package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TemplateProcessing} for a single sequence: the {@code single} template's pieces in order, where
 * {@code $A} is the encoded sequence and each special-token piece contributes its ids and tokens. Also the
 * shape of {@code BertProcessing} ({@code [CLS] $A [SEP]}) and {@code RobertaProcessing} ({@code <s> $A </s>}).
 */
public final class SpecialTokenTemplate implements PostProcessor {

    /** One piece of a template: the sequence, or a special token's ids and tokens. */
    public sealed interface TemplatePiece permits SequencePiece, SpecialPiece {
    }

    /** {@code $A} (or {@code $B}, which a single sequence never fills). */
    public record SequencePiece(String id) implements TemplatePiece {
    }

    /** A special token: its ids and tokens, index for index. */
    public record SpecialPiece(int[] ids, List<String> tokens) implements TemplatePiece {
        public SpecialPiece {
            ids = ids.clone();
            tokens = List.copyOf(tokens);
        }
    }

    private final List<TemplatePiece> single;

    public SpecialTokenTemplate(List<TemplatePiece> single) {
        this.single = List.copyOf(single);
    }

    @Override
    public Encoding process(Encoding encoding, boolean addSpecialTokens) {
        if (!addSpecialTokens) {
            return encoding;
        }
        List<Integer> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (TemplatePiece piece : single) {
            switch (piece) {
                case SequencePiece sequence -> {
                    if (sequence.id().equals("A")) {
                        for (int id : encoding.ids()) {
                            ids.add(id);
                        }
                        tokens.addAll(encoding.tokens());
                    }
                }
                case SpecialPiece special -> {
                    for (int id : special.ids()) {
                        ids.add(id);
                    }
                    tokens.addAll(special.tokens());
                }
            }
        }
        return new Encoding(ids.stream().mapToInt(Integer::intValue).toArray(), tokens);
    }
}
