package io.tttv2.testing.against;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.ops.Device;
import io.tttv2.testing.twinning.TwinFactories;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The testing bundle's candidate-against-candidate {@link FactoryDecorator}: while the registry is started, the
 * factories of the compared kind (for the device: of every kind {@link TwinFactories#TWINNABLE}) are wrapped so
 * that each module runs beside a twin from the other candidate. Stopped, it returns the factory itself.
 */
@ProviderType
@Component(service = FactoryDecorator.class)
public final class AgainstFactoryDecorator implements FactoryDecorator {

    private final AgainstRegistry registry;

    @Activate
    public AgainstFactoryDecorator(@Reference AgainstRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <F> F decorate(ModuleKind kind, Class<F> type, F factory, CandidateDescriptor candidate) {
        AgainstRegistry.Target target = registry.target();
        if (target == null || !TwinFactories.TWINNABLE.contains(kind)) {
            return factory;
        }
        String chosen = candidate != null ? candidate.name() : String.valueOf(factory);
        if (target.kind() == ModuleKind.DEVICE) {
            return TwinFactories.wrap(kind, type, factory, null, (Device) target.other(), chosen + " on this device",
                    "the same on " + target.otherName(), registry);
        }
        if (kind != target.kind() || (candidate != null && candidate.name().equals(target.otherName()))) {
            return factory;         // another kind, or the other candidate's own factory being resolved
        }
        return TwinFactories.wrap(kind, type, factory, target.other(), null, chosen, target.otherName(), registry);
    }
}
