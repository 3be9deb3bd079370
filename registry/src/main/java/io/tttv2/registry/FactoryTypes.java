package io.tttv2.registry;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelRunnerFactory;
import java.util.EnumMap;
import java.util.Map;

/** The service interface an implementation of each module kind registers (kinds absent here have none). */
final class FactoryTypes {

    private static final Map<ModuleKind, Class<?>> TYPES = new EnumMap<>(ModuleKind.class);

    static {
        TYPES.put(ModuleKind.NORM, ModuleFactories.NormFactory.class);
        TYPES.put(ModuleKind.ROTARY, ModuleFactories.RotaryFactory.class);
        TYPES.put(ModuleKind.ATTENTION, ModuleFactories.AttentionFactory.class);
        TYPES.put(ModuleKind.MLP, ModuleFactories.MlpFactory.class);
        TYPES.put(ModuleKind.EMBEDDING, ModuleFactories.EmbeddingFactory.class);
        TYPES.put(ModuleKind.LM_HEAD, ModuleFactories.LmHeadFactory.class);
        TYPES.put(ModuleKind.DECODER_LAYER, ModuleFactories.DecoderLayerFactory.class);
        TYPES.put(ModuleKind.DEVICE, Device.class);
        TYPES.put(ModuleKind.MODEL, ModelRunnerFactory.class);
    }

    private FactoryTypes() {
    }

    /** Every kind with a service interface, and that interface. */
    static Map<ModuleKind, Class<?>> all() {
        return TYPES;
    }

    /** The service interface of {@code kind}, or null (kv-cache: caches come from devices). */
    static Class<?> of(ModuleKind kind) {
        return TYPES.get(kind);
    }

    /** For messages: {@code AttentionFactory}, {@code Device}. */
    static String name(ModuleKind kind) {
        Class<?> type = TYPES.get(kind);
        return type == null ? "(no service interface)" : type.getSimpleName();
    }
}
