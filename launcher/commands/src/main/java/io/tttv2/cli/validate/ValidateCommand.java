package io.tttv2.cli.validate;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.UserError;
import io.tttv2.cli.bundles.UserFolder;
import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.cli.evidence.ValidationRecord;
import io.tttv2.cli.evidence.ValidationRecords;
import io.tttv2.cli.report.ModuleValidationRun;
import io.tttv2.cli.report.ProfileSession;
import io.tttv2.testing.profile.ProfiledRun;
import io.tttv2.testing.validation.Tolerance;
import io.tttv2.testing.validation.ValidationFailedException;
import io.tttv2.integration.hf.config.HfConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tttv2 validate}: a model against a HuggingFace reference file, the bring-up check. */
@Command(name = "validate",
        description = {
        "Run a HuggingFace checkpoint and compare it with HF's own outputs.",
        "Decoder-only LMs: prefill logits and hidden states, then greedy decode with the KV cache. Encoders:",
        "last_hidden_state, hidden_states and pooler_output of the padded batch (attention_mask, token_type_ids).",
        "Encoder-decoders: encoder_last_hidden_state, teacher-forced logits for decoder_input_ids, greedy decoding.",
        "With --modules, every module against its reference as well. Exits 0 only if every check passes."})
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "HF model folder (config.json + safetensors) or GGUF model file.")
    Path model;

    @Option(names = "--reference", required = true, paramLabel = "FILE",
            description = "Reference safetensors (input_ids, logits, hidden_states, generated_ids, decode_logits, decode_top2_margin).")
    Path reference;

    @Option(names = "--dump", paramLabel = "DIR", description = "Write what was computed to DIR/outputs.safetensors, under the reference's key names.")
    Path dump;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the checks as JSON to FILE.")
    Path json;

    @Option(names = "--modules", description = {
            "Also validate every module the model obtains against its plain float64 reference on the same inputs,",
            "and write report.txt, report.json and report.html (see --report)."})
    boolean modules;

    @Option(names = "--report", paramLabel = "DIR", description = "Where --modules writes its reports (default: the working directory).")
    Path report;

    @Option(names = "--module-tolerance", paramLabel = "KIND=PCC:ATOL",
            description = "With --modules: the tolerance of one module kind, e.g. norm=0.9999:1e-3 (default: 0.99999:1e-4).")
    Map<String, String> moduleTolerances = new LinkedHashMap<>();

    @Option(names = "--fail-fast", description = "With --modules: stop at the first module call out of tolerance, naming it.")
    boolean failFast;

    @Option(names = "--min-pcc", paramLabel = "PCC", description = "Required PCC (default: 0.99999 for F32 weights, 0.9999 for BF16/F16).")
    Double minPcc;

    @Option(names = "--atol", paramLabel = "ATOL",
            description = "Allowed max abs error, times max(1, max |reference|) (default: 1e-4).")
    Double atol;

    @Option(names = "--assembly", paramLabel = "FILE",
            description = "Assembly descriptor (JSON): which implementation to use per module kind, laid over the model's own.")
    Path assembly;

    @picocli.CommandLine.Mixin
    QuantizeOption quantize;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.MatmulPrecisionOption matmulPrecision;

    @Option(names = "--record", description = {
            "If every check passes, record the validation in USER_HOME/validations (model, config hash, the candidates",
            "and versions that ran, metrics, date, tool version): it backs their functionally-tested claim (tttv2 modules)."})
    boolean record;

    @Option(names = "--against", paramLabel = "KIND=CANDIDATE[@RANGE]", description = {
            "Also run, beside each module of KIND, a twin from another candidate of it (or, for device=…, every module",
            "on another device) on the same inputs, and compare: PCC and max abs error per module path, within the",
            "module tolerance (--min-pcc/--atol apply). E.g. attention-backend=tttv2/attention-backend/flash."})
    String against;

    @Option(names = "--profile", description = {
            "Also profile every module call in a pass of its own before the checks (so that no reference time counts):",
            "per module kind its calls, share of the time, achieved GFLOP/s and GB/s and fraction of the machine's",
            "measured peak; with --modules, report.html gains the roofline."})
    boolean profile;

    private final BundleContext context;
    private final ModuleResolver resolver;
    private final CandidateRegistry registry;

    public ValidateCommand(BundleContext context, ModuleResolver resolver, CandidateRegistry registry) {
        this.context = context;
        this.resolver = resolver;
        this.registry = registry;
    }

    @Override
    public Integer call() throws IOException {
        String precision = matmulPrecision.apply(context, spec.commandLine().getErr());   // before any model loads
        if (record && !precision.equals("f32")) {
            // a record is evidence of the shipped (exact) kernels: one made under bf16 would stand for them
            throw new UserError("--record records a validation under the default matmul precision f32, found "
                    + precision + ": drop --matmul-precision (or -D" + io.tttv2.cli.MatmulPrecisionOption.PROPERTY + ")", 2, null);
        }
        PrintWriter out = spec.commandLine().getOut();
        if ((report != null || failFast || !moduleTolerances.isEmpty()) && !modules) {
            throw new UserError("--report, --module-tolerance and --fail-fast apply to module validation; add --modules", 2, null);
        }
        ModelCatalog catalog = new ModelCatalog(context);
        Assembly override = catalog.assembly(assembly);     // a malformed file fails before any model is read
        if (config.dryRunRequested()) {
            return config.dryRun(context, model, new RunnerOptions(1, 0, override, quantize.type()), null, out,
                    spec.commandLine().getErr());
        }
        DType quantizeTo = quantize.type();
        if (quantizeTo != null && record) {
            throw new UserError("--record records a validation against HuggingFace's outputs; --quantize validates against "
                    + "the unquantised model: use one or the other", 2, null);
        }
        ProfiledRun profiled = profile ? profiledPass(catalog, override, out) : null;
        // --quantize: the quantised model is checked against the same model as stored, loaded beside it
        try (ReferenceFile ref = ReferenceFile.open(reference);
             ModuleValidationRun moduleRun = modules ? ModuleValidationRun.start(context, moduleTolerances, failFast) : null;
             AgainstRun againstRun = against == null ? null : AgainstRun.start(context, resolver, registry, against,
                     new Tolerance(minPcc != null ? minPcc : Tolerance.DEFAULT.minPcc(),
                             atol != null ? atol : Tolerance.DEFAULT.atol()));
             Runner runner = catalog.load(model, new RunnerOptions(batchOf(ref), 0, override, quantizeTo));
             Runner unquantized = quantizeTo == null ? null : catalog.load(model, new RunnerOptions(batchOf(ref), 0, override))) {
            config.dump(context, model, runner, new RunnerOptions(batchOf(ref), 0, override, quantizeTo), null);
            if (againstRun != null) {
                againstRun.name(runner.modules());
            }
            boolean sixteenBit = sixteenBitWeights(model);
            double pcc = minPcc != null ? minPcc : quantizeTo != null ? QuantizedValidation.defaultMinPcc(quantizeTo)
                    : sixteenBit ? 0.9999 : 0.99999;
            double allowed = atol != null ? atol : 1e-4;
            ValidationResult result;
            try {
                // --quantize: both runs as plain validations (their HF checks not judged), compared output by output
                result = quantizeTo == null ? check(runner, ref, pcc, allowed)
                        : QuantizedValidation.compare(check(runner, ref, 0, Double.POSITIVE_INFINITY),
                                check(unquantized, ref, 0, Double.POSITIVE_INFINITY), quantizeTo, pcc);
            } catch (ValidationFailedException e) {
                throw new UserError("module validation failed (--fail-fast): " + e.getMessage(), 1, e);
            }
            ValidationTable.print(out, runner.info().architecture(), model, result);
            if (dump != null) {
                Files.createDirectories(dump);
                OutputsFile.write(dump.resolve("outputs.safetensors"), result.outputs());
                out.println("wrote " + dump.resolve("outputs.safetensors"));
            }
            if (json != null) {
                ValidationJson.write(json, runner.info().architecture(), model, result);
            }
            boolean modulesPassed = moduleRun == null || moduleRun.finish(out, "validate " + model + " against " + reference,
                    report != null ? report : Path.of("").toAbsolutePath(), profiled);
            boolean againstPassed = againstRun == null || againstRun.finish(out, resolver);
            boolean passed = result.passed() && modulesPassed && againstPassed;
            if (record) {
                record(out, passed, override, runner.info().architecture(), result);
            }
            out.flush();
            return passed ? 0 : 1;
        }
    }

    /** The model's checks against the reference file, by the kind of model. */
    private ValidationResult check(Runner runner, ReferenceFile ref, double pcc, double allowed) {
        return switch (runner) {
            case ModelRunner decoder -> ModelValidation.run(decoder, ref, pcc, allowed);
            case EncoderRunner encoder -> EncoderValidation.run(encoder, ref, pcc, allowed);
            case EncoderDecoderRunner seq2seq -> Seq2SeqValidation.run(seq2seq, ref, pcc, allowed);
            default -> throw new UserError(ModelCatalog.notFor(runner, runner.info().architecture(), model,
                    "validate"), 2, null);
        };
    }

    /**
     * {@code --profile}: the model run once on the reference's inputs with every module profiled and nothing
     * validated (references would count in the module times), its figures printed before the checks.
     */
    private ProfiledRun profiledPass(ModelCatalog catalog, Assembly override, PrintWriter out) throws IOException {
        try (ReferenceFile ref = ReferenceFile.open(reference);
             ProfileSession session = ProfileSession.start(context);
             Runner runner = catalog.load(model, new RunnerOptions(batchOf(ref), 0, override, quantize.type()))) {
            check(runner, ref, 0, 1e9);     // the figures, not the verdict
            ProfiledRun run = session.finish(out);
            out.println();
            return run;
        }
    }

    private void record(PrintWriter out, boolean passed, Assembly override, String architecture, ValidationResult result) {
        if (!passed) {
            out.println("not recorded: the validation did not pass, so it backs no certification");
            return;
        }
        ValidationRecord evidence = RecordedValidation.of(context, resolver, registry, model, override, architecture, result.checks());
        Path file = new ValidationRecords(UserFolder.of(context).root()).write(evidence);
        out.println("recorded " + file + ": it backs functionally-tested of "
                + String.join(", ", evidence.candidates().stream().map(u -> u.name() + " " + u.version()).toList())
                + " for this model");
    }

    private static int batchOf(ReferenceFile ref) {
        return ReferenceShapes.batch(ref);     // bounded: the model's buffers are sized by it
    }

    /**
     * The fixture tolerances depend on the weights: PCC ≥ 0.99999 for F32, 0.9999 for BF16/F16 weights
     * computed in F32; max abs error ≤ 1e-4·max(1, max|ref|) for both.
     */
    private static boolean sixteenBitWeights(Path model) {
        try {
            String dtype = HfConfig.forModel(model).dtype().orElse("float32");
            return dtype.contains("bfloat16") || dtype.contains("float16");
        } catch (RuntimeException e) {
            throw new UserError(e.getMessage());
        }
    }
}
