package io.tttv2.testing.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void pccOfRelatedArraysMatchesTheTextbookFormula() {
        float[] a = {1, 2, 3, 4, 5};
        float[] b = {2, 4, 5, 4, 5};
        // numpy.corrcoef([1,2,3,4,5],[2,4,5,4,5])[0,1]
        assertEquals(0.7745966692414834, Metrics.pcc(a, b), 1e-12);
        assertEquals(-1.0, Metrics.pcc(a, new float[] {5, 4, 3, 2, 1}), 1e-12);
    }

    @Test
    void pccEdgeCasesOfTheSeed() {
        assertEquals(1.0, Metrics.pcc(new float[] {NAN, NAN}, new float[] {NAN, NAN}), "both all-NaN");
        assertEquals(0.0, Metrics.pcc(new float[] {NAN, NAN}, new float[] {1, 2}), "one all-NaN");
        assertEquals(0.0, Metrics.pcc(new float[] {0, 0, 0}, new float[] {1, 2, 3}), "one all-zero");
        assertEquals(1.0, Metrics.pcc(new float[] {0, 0, 0}, new float[] {0, 0, 0}), "both all-zero");
        assertEquals(1.0, Metrics.pcc(new float[] {3, 3, 3}, new float[] {3, 3, 3}), "equal constants");
        assertEquals(0.0, Metrics.pcc(new float[] {3, 3, 3}, new float[] {1, 2, 3}), "constant vs varying");
        assertEquals(1.0, Metrics.pcc(new float[] {1, NAN, 3, INF, 5}, new float[] {2, NAN, 6, INF, 10}),
                "NaN and Inf at the same places are masked");
        assertEquals(0.0, Metrics.pcc(new float[] {1, NAN, 3}, new float[] {1, 2, 3}),
                "a NaN on one side only is a disagreement");
        assertEquals(0.0, Metrics.pcc(new float[] {1, INF, 3}, new float[] {1, -INF, 3}), "opposite infinities");
    }

    @Test
    void compareFindsTheWorstElement() {
        float[] expected = {1, 2, 3, 4};
        float[] actual = {1, 2.5f, 3, 4.1f};
        Comparison c = Metrics.compare(actual, expected);
        assertEquals(0.5, c.maxAbsError(), 1e-6);
        assertEquals(1, c.worstIndex());
        assertEquals(2.5, c.worstActual(), 1e-6);
        assertEquals(2.0, c.worstExpected(), 1e-6);
        assertEquals((0.5 + 0.1) / 4, c.meanAbsError(), 1e-6);
        assertEquals(4.0, c.maxAbsExpected(), 0);
        assertEquals(4, c.elements());
    }

    @Test
    void passesUsesTheFixtureTolerance() {
        Random random = new Random(7);
        float[] expected = new float[1000];
        float[] close = new float[1000];
        float[] wrong = new float[1000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) random.nextGaussian() * 20;
            close[i] = expected[i] + 1e-4f;
            wrong[i] = i == 500 ? expected[i] + 0.1f : expected[i];
        }
        assertTrue(Metrics.compare(close, expected).passes(0.99999, 1e-4));
        assertFalse(Metrics.compare(wrong, expected).passes(0.99999, 1e-4), "one element off by 0.1 at scale ~60");
    }

    @Test
    void cosineHandlesZeros() {
        assertEquals(1.0, Metrics.cosine(new float[] {0, 0}, new float[] {0, 0}));
        assertEquals(0.0, Metrics.cosine(new float[] {0, 0}, new float[] {1, 0}));
        assertEquals(0.0, Metrics.cosine(new float[] {1, 0}, new float[] {0, 1}), 1e-12);
        assertEquals(1.0, Metrics.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
    }

    @Test
    void allCloseReportsTheToleranceThatWouldHavePassed() {
        AllClose ok = Metrics.allClose(new float[] {1.0f, NAN, INF}, new float[] {1.0f, NAN, INF}, 1e-5, 1e-8);
        assertTrue(ok.close());
        AllClose off = Metrics.allClose(new float[] {1.1f, 2f}, new float[] {1f, 2f}, 0.0, 0.05);
        assertFalse(off.close());
        assertEquals(1, off.violations());
        assertEquals(0.1, off.requiredAtol(), 1e-6);
        assertEquals(0.05, off.maxAtolDelta(), 1e-6);
        assertEquals(0.05, off.requiredRtol(), 1e-6);
        AllClose zero = Metrics.allClose(new float[] {0.5f}, new float[] {0f}, 0.1, 0.0);
        assertEquals(Double.POSITIVE_INFINITY, zero.requiredRtol());
        assertFalse(Metrics.allClose(new float[] {NAN}, new float[] {1f}, 1, 1).close(), "NaN is never close to a number");
    }
}
