package io.tttv2.testing.profiling;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Weights;
import io.tttv2.testing.profile.ProfileRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Profiling wrappers made as dynamic proxies, one code path for every kind: a factory proxy creates the real
 * module and hands out a module proxy, which times each call of a compute method ({@code prefill},
 * {@code decode}, {@code route}, {@code forward}, {@code compute}) and costs it with {@link CallCosts}; every
 * other method (spec, config, accessors) goes straight to the module. Only built while profiling is on.
 */
public final class ProfilingFactories {

    private ProfilingFactories() {
    }

    /** Marks a factory that already profiles, so that it is not wrapped twice. */
    private interface Profiling {
    }

    /** {@code factory} wrapped, or itself for the kinds that build no module to time (device, whole model). */
    public static <F> F wrap(ModuleKind kind, Class<F> type, F factory, ProfileRegistry registry) {
        if (kind == ModuleKind.DEVICE || kind == ModuleKind.MODEL || Proxy.isProxyClass(factory.getClass())
                && Proxy.getInvocationHandler(factory) instanceof FactoryHandler) {
            return factory;
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new FactoryHandler(kind, factory, registry)));
    }

    private record FactoryHandler(ModuleKind kind, Object target, ProfileRegistry registry) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object made = call(target, method, args);
            Class<?> type = method.getReturnType();
            if (!method.getName().equals("create") || !(made instanceof Module module) || !type.isInterface()
                    || !Module.class.isAssignableFrom(type)) {
                return made;
            }
            Record spec = module.spec();
            Weights weights = null;
            for (Object a : args) {
                if (a instanceof Weights w) {
                    weights = w;
                }
            }
            CallCosts costs = CallCosts.of(kind, spec, weights);
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    new ModuleHandler(kind, module, costs, registry));
        }
    }

    private record ModuleHandler(ModuleKind kind, Object target, CallCosts costs, ProfileRegistry registry)
            implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            String phase = switch (name) {
                case "prefill", "decode" -> name;
                case "route", "forward", "compute" -> null;
                default -> "";
            };
            if ("".equals(phase) || !registry.isEnabled()) {
                return call(target, method, args);
            }
            long entered = System.nanoTime();
            CallStack.Frame frame = CallStack.enter(phase, "prefill");
            long t0 = System.nanoTime();
            Object result;
            try {
                result = call(target, method, args);
            } finally {
                long t1 = System.nanoTime();
                long self = CallStack.exit(frame, t1 - t0);
                registry.record(kind, frame.phase, self, costs.of(name, args));
                // the bookkeeping around this call is the profiler's, not the caller's own time
                CallStack.chargeToCallees(frame, (t0 - entered) + (System.nanoTime() - t1));
            }
            return result;
        }

        @Override
        public String toString() {
            return "profiled " + target;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
