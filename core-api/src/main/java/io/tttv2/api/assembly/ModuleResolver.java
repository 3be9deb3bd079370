package io.tttv2.api.assembly;

import io.tttv2.api.candidate.ModuleKind;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Resolves assemblies against the installed candidates and their services (the registry bundle offers
 * it). Models obtain their module factories here, never by naming an implementation.
 */
@ProviderType
public interface ModuleResolver {

    /** Resolves {@code kinds} for {@code assembly}; never throws for a missing kind (see {@link Resolution#complete()}). */
    Resolution resolve(Assembly assembly, Set<ModuleKind> kinds);

    /**
     * A counter that grows whenever a candidate or an implementing service comes, goes or changes: a running
     * model compares it at each step boundary and re-resolves when it moved (hot-swap).
     */
    long generation();
}
