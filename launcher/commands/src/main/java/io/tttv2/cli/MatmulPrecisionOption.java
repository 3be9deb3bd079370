package io.tttv2.cli;

import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.launcher.spi.HostCommandLine;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import picocli.CommandLine.Option;

/**
 * {@code --matmul-precision f32|bf16}, shared by the model commands: how matmuls with BF16 weights multiply,
 * process-wide. The CPU device reads it from the system property {@value #PROPERTY} (which a JVM option may set for
 * anything else), so the option sets that property before the model loads; f32 (default) is exact F32, bf16 rounds
 * the activations to BF16 for AVX-512 BF16 dot products (docs/kernels.md, "BF16 precision").
 */
public final class MatmulPrecisionOption {

    /** The system property the CPU device reads (io.tttv2.core.cpu.kernel.MatmulPrecision). */
    public static final String PROPERTY = "tttv2.matmul.precision";

    @Option(names = "--matmul-precision", paramLabel = "P", description = {
            "Matmuls with BF16 weights: f32 (default, exact: activations stay F32) or bf16 (activations rounded to",
            "BF16, AVX-512 BF16 dot products: faster, not exact; needs a CPU with AVX512_BF16)."})
    String precision;

    /**
     * Sets {@value #PROPERTY} from the option (else keeps the property's value, else f32), and with bf16 runs one
     * BF16 matmul on the device, so a machine that cannot run it fails here in one line rather than at the first
     * token. With --verbose, prints the precision on {@code err}. Returns it: f32 or bf16.
     *
     * @throws UserError exit 2 for a value that is not a precision, 1 where bf16 cannot run
     */
    public String apply(BundleContext context, PrintWriter err) {
        String given = precision != null ? precision : System.getProperty(PROPERTY);
        String id = given == null ? "f32" : given.trim().toLowerCase(Locale.ROOT);
        if (!id.equals("f32") && !id.equals("bf16")) {
            String source = precision != null ? "--matmul-precision" : "-D" + PROPERTY;
            throw new UserError(source + ": expected f32 or bf16, found '" + given + "'", 2, null);
        }
        System.setProperty(PROPERTY, id);
        if (id.equals("bf16")) {
            probe(context);
        }
        if (Boolean.parseBoolean(context.getProperty(HostCommandLine.VERBOSE_PROPERTY))) {
            err.println("tttv2: matmul precision " + id + (id.equals("bf16")
                    ? " (BF16 weights: activations rounded to BF16, AVX-512 BF16 dot products)" : " (exact F32)"));
            err.flush();
        }
        return id;
    }

    /** The effective precision as the dumps show it: the property's value, f32 if unset. */
    public static String effective() {
        return System.getProperty(PROPERTY, "f32").trim().toLowerCase(Locale.ROOT);
    }

    /** One [1, 32] · [1, 32]ᵀ matmul with BF16 weights on every device offered: fails where bf16 cannot run. */
    private static void probe(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Device.class.getName(), null);
            if (refs == null) {
                return;     // no device yet: the model's load will say so
            }
            for (ServiceReference<?> ref : refs) {
                Device device = (Device) context.getService(ref);
                if (device == null) {
                    continue;
                }
                try (Arena arena = Arena.ofConfined()) {
                    Tensor x = Tensor.allocate(arena, DType.F32, 1, 32);
                    Tensor w = Tensor.allocate(arena, DType.BF16, 1, 32);
                    Tensor out = Tensor.allocate(arena, DType.F32, 1, 1);
                    device.ops().matmul(x, w, null, out);
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            throw new UserError("--matmul-precision bf16: " + e.getMessage(), 1, e);
        }
    }
}
