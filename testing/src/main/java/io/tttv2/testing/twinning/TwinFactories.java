package io.tttv2.testing.twinning;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.against.AgainstRegistry;
import io.tttv2.testing.metrics.Metrics;
import java.lang.foreign.Arena;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Set;

/**
 * A factory proxy that builds each module twice — the chosen candidate's, and a twin from the other candidate
 * (or on the other device) with the same arguments — and hands out a module proxy that, at each call, runs the
 * twin first into a scratch output, then the chosen module into the real one, and records their comparison.
 * The twin runs first so that what the chosen module writes (its KV cache rows) is what stays.
 */
public final class TwinFactories {

    /**
     * The kinds whose compute calls write one output tensor, their last tensor argument (norm, MLP, attention,
     * …): those can be run twice and compared. Kinds that update their input in place (position embedding, the
     * encoder layer) or answer in arrays (the router) are not twinned.
     */
    public static final Set<ModuleKind> TWINNABLE = EnumSet.of(ModuleKind.ATTENTION, ModuleKind.LATENT_ATTENTION,
            ModuleKind.ATTENTION_BACKEND, ModuleKind.MLP, ModuleKind.MOE, ModuleKind.NORM, ModuleKind.ROTARY,
            ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER, ModuleKind.ENCODER_ATTENTION,
            ModuleKind.POOLER, ModuleKind.RELATIVE_POSITION_BIAS, ModuleKind.CROSS_ATTENTION,
            ModuleKind.BIASED_ATTENTION);

    private TwinFactories() {
    }

    /**
     * {@code factory} wrapped so that its modules run beside twins: built by {@code other} (a factory of the
     * same type), or when {@code otherDevice} is set by {@code factory} itself on that device.
     */
    public static <F> F wrap(ModuleKind kind, Class<F> type, F factory, Object other, Device otherDevice,
                             String chosenName, String otherName, AgainstRegistry registry) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new FactoryHandler(kind, factory, other, otherDevice, chosenName, otherName, registry)));
    }

    private record FactoryHandler(ModuleKind kind, Object target, Object other, Device otherDevice, String chosenName,
                                  String otherName, AgainstRegistry registry) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object made = call(target, method, args);
            Class<?> type = method.getReturnType();
            if (!method.getName().equals("create") || !(made instanceof Module) || !type.isInterface()) {
                return made;
            }
            Object twin = null;
            String failure = null;
            try {
                twin = call(otherDevice != null ? target : other, method, twinArguments(args, otherDevice));
            } catch (Throwable e) {
                failure = otherName + " cannot build this " + kind.id() + ": " + e.getMessage();
            }
            ModuleHandler handler = new ModuleHandler(made, twin, failure, registry);
            Object module = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
            registry.created(module, kind, chosenName, otherName);
            return module;
        }
    }

    private record ModuleHandler(Object target, Object twin, String failure, AgainstRegistry registry)
            implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            int out = outputIndex(method, args);
            if (out < 0 || registry.target() == null) {
                return call(target, method, args);
            }
            if (twin == null) {
                Object result = call(target, method, args);
                registry.record(proxy, method.getName(), null, failure);
                return result;
            }
            Tensor real = (Tensor) args[out];
            Tensor scratch = Tensor.allocate(Arena.ofAuto(), real.dtype(), real.shape());
            Object[] twinArgs = twinArguments(args, null);
            twinArgs[out] = scratch;
            String twinFailure = null;
            try {
                call(twin, method, twinArgs);
            } catch (Throwable e) {
                twinFailure = method.getName() + ": the other candidate failed: " + e;
            }
            Object result = call(target, method, args);
            if (twinFailure != null) {
                registry.record(proxy, method.getName(), null, twinFailure);
            } else {
                registry.record(proxy, method.getName(), Metrics.compare(real.toFloatArray(), scratch.toFloatArray()),
                        null);
            }
            return result;
        }
    }

    /** The compute calls' output: the last tensor argument of a void prefill/decode/forward/compute; else -1. */
    private static int outputIndex(Method method, Object[] args) {
        if (method.getReturnType() != void.class || args == null) {
            return -1;
        }
        switch (method.getName()) {
            case "prefill", "decode", "forward", "compute" -> {
                for (int i = args.length - 1; i >= 0; i--) {
                    if (args[i] instanceof Tensor) {
                        return i;
                    }
                }
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * The arguments for the twin: twinned modules among them (a layer's parts) replaced by their twins, so the
     * twin side runs the other candidates throughout, and the device by {@code otherDevice} if set.
     */
    private static Object[] twinArguments(Object[] args, Device otherDevice) {
        if (args == null) {
            return null;
        }
        Object[] twin = args.clone();
        for (int i = 0; i < twin.length; i++) {
            if (otherDevice != null && twin[i] instanceof Device) {
                twin[i] = otherDevice;
            } else if (twin[i] != null && Proxy.isProxyClass(twin[i].getClass())
                    && Proxy.getInvocationHandler(twin[i]) instanceof ModuleHandler h && h.twin() != null) {
                twin[i] = h.twin();
            } else if (twin[i] instanceof Record parts) {
                twin[i] = TwinParts.swap(parts);
            }
        }
        return twin;
    }

    static Object twinOf(Object module) {
        if (module != null && Proxy.isProxyClass(module.getClass())
                && Proxy.getInvocationHandler(module) instanceof ModuleHandler h && h.twin() != null) {
            return h.twin();
        }
        return module;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
