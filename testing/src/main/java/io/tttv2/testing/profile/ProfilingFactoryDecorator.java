package io.tttv2.testing.profile;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.profiling.ProfilingFactories;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The testing bundle's profiling {@link FactoryDecorator}: while the registry is enabled, every module factory
 * the host hands out is wrapped so that each module it creates times and costs its calls. While disabled it
 * returns the factory itself: nothing stands between the model and its modules.
 */
@ProviderType
@Component(service = FactoryDecorator.class)
public final class ProfilingFactoryDecorator implements FactoryDecorator {

    private final ProfileRegistry registry;

    @Activate
    public ProfilingFactoryDecorator(@Reference ProfileRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
        if (!registry.isEnabled()) {
            return factory;
        }
        if (type != kind.serviceType()) {
            throw new IllegalArgumentException("profiling: a " + kind.id() + " factory must be a "
                    + kind.serviceType().getName() + ", found " + type.getName());
        }
        return ProfilingFactories.wrap(kind, type, factory, registry);
    }
}
