package io.tttv2.core.modules;

import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The entry checks of the forward paths: cheap comparisons of dimensions that build their message only
 * when they fail, so the per-token path allocates nothing.
 */
public final class ShapeChecks {

    private ShapeChecks() {
    }

    /**
     * Elements of each head that {@code rotary} rotates: its spec's rotary dim (read without asking for the
     * tables, which a {@code RotaryEmbedding} computes only when first asked), else twice its table's width.
     */
    public static int rotatedElements(Rotary rotary) {
        return rotary.spec() instanceof RotarySpec s ? s.rotaryDim() : rotary.cos().dim(1) * 2;
    }

    /** x must be [rows, width] with 0 < rows ≤ maxRows. */
    public static void rows(String module, String what, Tensor x, int width, int maxRows) {
        if (x.rank() != 2 || x.dim(1) != width || x.dim(0) <= 0 || x.dim(0) > maxRows) {
            throw new IllegalArgumentException(module + ": " + what + " has shape " + Arrays.toString(x.shape())
                    + ", expected [rows, " + width + "] with 1 to " + maxRows + " rows");
        }
    }

    /** x must be [rows, width] with rows > 0. */
    public static void rows(String module, String what, Tensor x, int width) {
        rows(module, what, x, width, Integer.MAX_VALUE);
    }

    /** out must be [rows, width] with the same rows as the input. */
    public static void sameRows(String module, String what, Tensor out, int rows, int width) {
        if (out.rank() != 2 || out.dim(0) != rows || out.dim(1) != width) {
            throw new IllegalArgumentException(module + ": " + what + " has shape " + Arrays.toString(out.shape())
                    + ", expected [" + rows + ", " + width + "]");
        }
    }
}
