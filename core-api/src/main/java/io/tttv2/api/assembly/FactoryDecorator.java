package io.tttv2.api.assembly;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Wraps the module factories the host hands out, e.g. to validate every module against a reference or to
 * trace calls. Registered as an OSGi service; the resolver applies every registered decorator (in service
 * ranking order) to each factory it returns, so models need not know.
 */
@ConsumerType
public interface FactoryDecorator {

    /**
     * @param kind      the module kind
     * @param type      the factory interface, e.g. {@code ModuleFactories.NormFactory.class}
     * @param factory   the factory chosen for the assembly
     * @param candidate the candidate it implements
     * @return a factory of the same type: {@code factory} itself or a wrapper of it
     */
    <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate);
}
