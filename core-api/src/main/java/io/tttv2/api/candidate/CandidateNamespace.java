package io.tttv2.api.candidate;

/**
 * The capability namespace and attribute names of a candidate declaration. A bundle declares, in its
 * bnd.bnd:
 *
 * <pre>
 * Provide-Capability: io.tttv2.candidate;\
 *     name=tttv2/attention/sdpa;kind=attention;version:Version=1.0.0;tier=core;\
 *     certifications:List&lt;String&gt;="functionally-tested,performance-verified";\
 *     dtypes:List&lt;String&gt;="F32,BF16";devices:List&lt;String&gt;=cpu;variants:List&lt;String&gt;="mha,gqa"
 * </pre>
 */
public final class CandidateNamespace {
    /** The OSGi capability namespace the registry reads. */
    public static final String NAMESPACE = "io.tttv2.candidate";

    /** Hierarchical name {@code owner/kind/name}, for example {@code tttv2/attention/sdpa}. */
    public static final String NAME = "name";
    /** Module kind, one of {@link ModuleKind}'s ids. */
    public static final String KIND = "kind";
    /** The candidate's own version (an OSGi {@code Version} attribute). */
    public static final String VERSION = "version";
    /** One of {@link Tier}'s ids. */
    public static final String TIER = "tier";
    /** {@link Certification} ids held by the candidate. */
    public static final String CERTIFICATIONS = "certifications";
    /** Supported tensor dtypes (names of {@code io.tttv2.api.tensor.DType}). */
    public static final String DTYPES = "dtypes";
    /** Supported devices, for example {@code cpu}. */
    public static final String DEVICES = "devices";
    /** Supported variants of the module kind, for example {@code gqa} or {@code sliding-window}. */
    public static final String VARIANTS = "variants";
    /**
     * On a {@code kind=model} candidate: the bundle entry holding the model's default assembly (JSON, see
     * {@code io.tttv2.api.assembly.Assemblies}), for example {@code assembly.json}.
     */
    public static final String ASSEMBLY = "assembly";

    /** Service property carrying {@link #NAME} on the implementing service, so a model can bind to it. */
    public static final String SERVICE_NAME = "tttv2.candidate.name";
    /** Service property carrying {@link #VERSION} on the implementing service. */
    public static final String SERVICE_VERSION = "tttv2.candidate.version";
    /** Service property carrying {@link #TIER} on the implementing service. */
    public static final String SERVICE_TIER = "tttv2.candidate.tier";

    private CandidateNamespace() {
    }
}
