package io.tttv2.testing.validation;

import io.tttv2.api.modules.Module;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A module wrapped for validation: it runs {@link #implementation()} and the reference on every call. Its
 * name (a default like {@code norm#3} until {@link ValidationRegistry#nameModules} gives it the model's
 * path) is what records and reports show.
 */
@ProviderType
public interface ValidatedModule {

    /** The wrapped module, as the implementation created it. */
    Module implementation();

    /** The name records carry: the model's path for it, e.g. {@code model.layers.0.input_layernorm}. */
    String validationName();

    /** Names the module; later records carry the new name. */
    void validationName(String name);

    /** Validated modules this one calls (an attention's rotary, a decoder layer's norms, attention and MLP). */
    List<ValidatedModule> parts();
}
