package io.tttv2.cli.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.cli.UserError;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embed command's batch (tokenised, padded on the right, masked) and its poolings. */
class TextBatchAndPoolingTest {

    private static Tokenizer wordPiece() {
        return Tokenizer.load(Path.of(System.getProperty("tttv2.root"), "testdata/fixtures/tokenizers/wordpiece/tokenizer.json"));
    }

    @Test
    void textsOfDifferentLengthsArePaddedOnTheRightAndMasked() {
        Tokenizer t = wordPiece();
        EncoderBatch batch = TextBatch.of(t, List.of("In the beginning God created", "Amen"), false, 128, true, 0);
        int[] first = t.encode("In the beginning God created", true).ids();
        int[] second = t.encode("Amen", true).ids();
        assertEquals(2, batch.batch());
        assertEquals(first.length, batch.length());
        assertArrayEquals(first, batch.inputIds()[0]);
        for (int i = 0; i < batch.length(); i++) {
            assertEquals(i < second.length ? second[i] : 0, batch.inputIds()[1][i]);
            assertEquals(i < second.length ? 1 : 0, batch.attentionMask()[1][i]);
            assertEquals(1, batch.attentionMask()[0][i]);
        }
        assertEquals(second.length, batch.realLength(1));
    }

    @Test
    void pairsGetTypeIdsAndTruncationHoldsTheMaximum() {
        EncoderBatch batch = TextBatch.of(wordPiece(), List.of("In the beginning", "God created the heaven and the earth"),
                true, 5, true, 0);
        assertEquals(1, batch.batch());
        assertEquals(5, batch.length());
        // the fixture's template has no special tokens: 5 / 2 = 2 for the shorter first text, 3 for the second
        assertArrayEquals(new int[] {0, 0, 1, 1, 1}, batch.tokenTypeIds()[0]);
    }

    @Test
    void withoutTruncationATooLongTextIsOneLine() {
        UserError e = assertThrows(UserError.class,
                () -> TextBatch.of(wordPiece(), List.of("a b c d e f g"), false, 4, false, 0));
        assertTrue(e.getMessage().startsWith("text 1 is 7 tokens, longer than the model's maximum of 4"), e.getMessage());
        UserError odd = assertThrows(UserError.class, () -> TextBatch.of(wordPiece(), List.of("a", "b", "c"), true, 8, true, 0));
        assertEquals(2, odd.exitCode());
    }

    @Test
    void meanPoolingSkipsPaddingAndClsTakesTheFirstToken() {
        // B=1, T=3, hidden=2; the third position is padding
        Tensor h = Tensor.of(new float[] {1, 2, 3, 4, 100, 100}, 1, 3, 2);
        EncoderBatch batch = new EncoderBatch(new int[][] {{5, 6, 0}}, null, new int[][] {{1, 1, 0}});
        EncoderOutput out = new EncoderOutput(h, List.of(), Tensor.of(new float[] {0.5f, -0.5f}, 1, 2), null);
        assertArrayEquals(new float[] {2, 3}, Pooling.MEAN.pool(out, batch, 0, 2));
        assertArrayEquals(new float[] {1, 2}, Pooling.CLS.pool(out, batch, 0, 2));
        assertArrayEquals(new float[] {0.5f, -0.5f}, Pooling.POOLER.pool(out, batch, 0, 2));
        assertArrayEquals(new float[] {0.6f, 0.8f}, Pooling.normalized(new float[] {3, 4}), 1e-7f);
    }
}
