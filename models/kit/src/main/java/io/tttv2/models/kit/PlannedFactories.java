package io.tttv2.models.kit;

import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Factories for a dry run: each {@code create} returns a stand-in of the module interface that knows its
 * candidate, spec and config — all a plan and a dump need — and refuses to run. No implementation is called,
 * so no weight is read and no workspace allocated; the builder walks the plan exactly as for a real load.
 */
final class PlannedFactories {

    private PlannedFactories() {
    }

    /** The factories of {@code resolution}'s chosen candidates, as stand-ins. */
    static ModuleFactorySet of(Resolution resolution, io.tttv2.api.ops.Device device) {
        Resolution planned = new Resolution() {
            @Override
            public boolean complete() {
                return resolution.complete();
            }

            @Override
            public <F> F factory(ModuleKind kind, Class<F> type) {
                resolution.factory(kind, type);     // throws as a real load would, naming the kind
                return type.cast(factoryProxy(kind, type, resolution.chosen(kind)));
            }

            @Override
            public CandidateDescriptor chosen(ModuleKind kind) {
                return resolution.chosen(kind);
            }

            @Override
            public java.util.List<io.tttv2.api.assembly.Decision> decisions() {
                return resolution.decisions();
            }

            @Override
            public long generation() {
                return resolution.generation();
            }
        };
        return new ModuleFactorySet(planned, device);
    }

    private static Object factoryProxy(ModuleKind kind, Class<?> type, CandidateDescriptor candidate) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "planned " + kind.id() + " factory");
            }
            Record spec = null;
            ModuleConfig config = ModuleConfig.defaults();     // what implementations without a config report
            for (Object a : args == null ? new Object[0] : args) {
                if (a instanceof ModuleConfig c) {
                    config = c;
                } else if (spec == null && a instanceof Record r) {
                    spec = r;
                }
            }
            return moduleProxy(method.getReturnType(), kind, candidate.name(), spec, config);
        });
    }

    private static Object moduleProxy(Class<?> type, ModuleKind kind, String candidate, Record spec, ModuleConfig config) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "planned " + kind.id() + " " + candidate);
            }
            return switch (method.getName()) {
                case "candidate" -> candidate;
                case "spec" -> spec;
                case "config" -> config;
                default -> throw new UnsupportedOperationException("dry run: " + kind.id() + " " + candidate
                        + " was planned, not built; " + method.getName() + " does not run");
            };
        });
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> name;
        };
    }

    /** True if {@code module} is a stand-in of this class. */
    static boolean planned(Module module) {
        return Proxy.isProxyClass(module.getClass());
    }
}
