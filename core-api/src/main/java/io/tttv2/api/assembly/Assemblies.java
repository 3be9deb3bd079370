package io.tttv2.api.assembly;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Assembly descriptors (JSON): reading one, and the ones model bundles ship. Offered by the registry
 * bundle. The format:
 *
 * <pre>
 * {"model": "tttv2/model/llama-family",
 *  "modules": {"attention": {"name": "tttv2/attention/sdpa", "version": "[1.0,2)", "minimumTier": "core",
 *                            "variants": ["gqa"], "dtypes": ["BF16"]},
 *              "rotary": {}}}
 * </pre>
 *
 * Every key of a module is optional; {@code {}} names a kind the model uses with the default choice.
 */
@ProviderType
public interface Assemblies {

    /**
     * Reads the descriptor in {@code file}.
     *
     * @throws AssemblyFormatException one line naming the file, the key, what was expected and found
     */
    Assembly read(Path file);

    /** Reads a descriptor from {@code in}; {@code source} names it in errors (e.g. {@code bsn!/assembly.json}). */
    Assembly read(InputStream in, String source);

    /**
     * The assembly each installed model bundle ships (the entry its model candidate names with the
     * {@code assembly} attribute), by model candidate name. Bundles whose descriptor is malformed are
     * missing here and listed in the registry's rejections.
     */
    Map<String, Assembly> shipped();
}
