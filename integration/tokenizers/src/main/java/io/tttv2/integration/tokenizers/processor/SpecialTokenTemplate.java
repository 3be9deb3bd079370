package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TemplateProcessing}: the {@code single} or {@code pair} template's pieces in order, where {@code $A} and
 * {@code $B} are the encoded sequences and each special-token piece contributes its ids and tokens, each piece
 * with its template's type id. Also the shape of {@code BertProcessing} ({@code [CLS] $A [SEP]},
 * {@code [CLS] $A [SEP] $B:1 [SEP]:1}) and {@code RobertaProcessing} ({@code <s> $A </s>},
 * {@code <s> $A </s> </s> $B </s>}, all of type 0).
 */
public final class SpecialTokenTemplate implements PostProcessor {

    /** One piece of a template: a sequence, or a special token's ids and tokens. */
    public sealed interface TemplatePiece permits SequencePiece, SpecialPiece {
        int typeId();
    }

    /** {@code $A} or {@code $B}, of segment {@code typeId}. */
    public record SequencePiece(String id, int typeId) implements TemplatePiece {
        public SequencePiece(String id) {
            this(id, 0);
        }
    }

    /** A special token: its ids and tokens, index for index, of segment {@code typeId}. */
    public record SpecialPiece(int[] ids, List<String> tokens, int typeId) implements TemplatePiece {
        public SpecialPiece {
            ids = ids.clone();
            tokens = List.copyOf(tokens);
        }

        public SpecialPiece(int[] ids, List<String> tokens) {
            this(ids, tokens, 0);
        }

        SpecialPiece ofType(int type) {
            return new SpecialPiece(ids, tokens, type);
        }
    }

    private final List<TemplatePiece> single;
    private final List<TemplatePiece> pair;
    private final boolean typesWithoutSpecials;

    /**
     * @param typesWithoutSpecials whether the template's type ids apply when special tokens are not added
     *                             (TemplateProcessing: yes; Bert/RobertaProcessing leave the parts as they are)
     */
    public SpecialTokenTemplate(List<TemplatePiece> single, List<TemplatePiece> pair, boolean typesWithoutSpecials) {
        this.single = List.copyOf(single);
        this.pair = List.copyOf(pair);
        this.typesWithoutSpecials = typesWithoutSpecials;
    }

    /** BertProcessing: {@code [CLS] $A [SEP]} and {@code [CLS] $A [SEP] $B:1 [SEP]:1}. */
    public static SpecialTokenTemplate bert(SpecialPiece cls, SpecialPiece sep) {
        return new SpecialTokenTemplate(List.of(cls, new SequencePiece("A"), sep),
                List.of(cls, new SequencePiece("A"), sep, new SequencePiece("B", 1), sep.ofType(1)), false);
    }

    /** RobertaProcessing: {@code <s> $A </s>} and {@code <s> $A </s> </s> $B </s>}, every token of type 0. */
    public static SpecialTokenTemplate roberta(SpecialPiece cls, SpecialPiece sep) {
        return new SpecialTokenTemplate(List.of(cls, new SequencePiece("A"), sep),
                List.of(cls, new SequencePiece("A"), sep, sep, new SequencePiece("B"), sep), false);
    }

    @Override
    public List<Encoding> process(List<Encoding> parts, boolean addSpecialTokens) {
        if (!addSpecialTokens && !typesWithoutSpecials) {
            return parts;
        }
        List<Encoding> out = new ArrayList<>();
        for (TemplatePiece piece : parts.size() == 2 ? pair : single) {
            switch (piece) {
                case SequencePiece sequence -> {
                    int index = sequence.id().equals("A") ? 0 : 1;
                    if (index < parts.size()) {
                        out.add(parts.get(index).withTypeId(sequence.typeId()));
                    }
                }
                case SpecialPiece special -> {
                    if (addSpecialTokens) {
                        int[] types = new int[special.ids().length];
                        java.util.Arrays.fill(types, special.typeId());
                        out.add(new Encoding(special.ids(), types, special.tokens()));
                    }
                }
            }
        }
        return List.of(Encoding.concat(out));
    }

    @Override
    public int addedTokens(boolean isPair) {
        return (isPair ? pair : single).stream().mapToInt(p -> p instanceof SpecialPiece s ? s.ids().length : 0).sum();
    }
}
