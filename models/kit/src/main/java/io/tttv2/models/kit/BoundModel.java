package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelLoadException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What a runner of the kit computes with: the device, fixed for the model's life (its memory holds the KV cache),
 * and the modules, rebuilt from the resolver at call boundaries when implementations change.
 *
 * @param device  the op library every module runs on
 * @param modules the model's modules, bound to the current resolution of the other kinds
 */
record BoundModel<M>(Device device, ModuleBinding<M> modules) {

    /**
     * Resolves {@code kinds} once — every kind, or a one-line {@link ModelLoadException} naming the first that is not
     * met — and binds the modules {@code build} makes from a resolution's factories.
     */
    static <M> BoundModel<M> resolve(ModuleResolver resolver, Assembly assembly, Set<ModuleKind> kinds,
                                     Function<ModuleFactorySet, M> build) {
        Resolution first = resolver.resolve(assembly, kinds);
        Device device;
        try {
            device = first.factory(ModuleKind.DEVICE, Device.class);
            for (ModuleKind kind : kinds) {
                first.factory(kind, kind.serviceType());
            }
        } catch (UnresolvedException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        Set<ModuleKind> rebindable = EnumSet.copyOf(kinds);
        rebindable.remove(ModuleKind.DEVICE);
        ModuleBinding<M> modules = new ModuleBinding<>(resolver, assembly, rebindable, first,
                resolution -> build.apply(new ModuleFactorySet(resolution, device)));
        return new BoundModel<>(device, modules);
    }
}
