package io.tttv2.api.assembly;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The outcome of resolving an assembly: a chosen candidate and its (decorated) factory per kind. */
@ProviderType
public interface Resolution {

    /** True if every requested kind has a candidate. */
    boolean complete();

    /**
     * The factory of the candidate chosen for {@code kind}, decorated by every registered
     * {@link FactoryDecorator}.
     *
     * @throws UnresolvedException naming the kind, the requirement and why each candidate was rejected
     */
    <F> F factory(ModuleKind kind, Class<F> type);

    /** The candidate chosen for {@code kind}, or null. */
    CandidateDescriptor chosen(ModuleKind kind);

    /** Every candidate considered, chosen or not, with the reason. */
    List<Decision> decisions();

    /** The resolver's generation this resolution was made at. */
    long generation();
}
