package io.tttv2.testing.validation;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.validating.ValidatingFactories;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The testing bundle's {@link FactoryDecorator}: while the registry is enabled, every module factory the
 * host hands out is wrapped so that each module it creates is validated against its reference. While
 * disabled it returns the factory itself — the modules a model then creates are the implementations, with
 * nothing in between on the decode path.
 */
@ProviderType
@Component(service = FactoryDecorator.class)
public final class ValidatingFactoryDecorator implements FactoryDecorator {

    private final ValidationRegistry registry;

    @Activate
    public ValidatingFactoryDecorator(@Reference ValidationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
        if (!registry.isEnabled()) {
            return factory;
        }
        if (type != kind.serviceType()) {
            throw new IllegalArgumentException("validation: a " + kind.id() + " factory must be a "
                    + kind.serviceType().getName() + ", found " + type.getName());
        }
        return type.cast(ValidatingFactories.wrap(kind, factory, registry));
    }
}
