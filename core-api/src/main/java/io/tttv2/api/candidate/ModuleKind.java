package io.tttv2.api.candidate;

/** The kinds of module a candidate can implement, by the id used in manifests. */
public enum ModuleKind {
    ATTENTION("attention"),
    MLP("mlp"),
    NORM("norm"),
    ROTARY("rotary"),
    EMBEDDING("embedding"),
    LM_HEAD("lm-head"),
    DECODER_LAYER("decoder-layer"),
    KV_CACHE("kv-cache"),
    DEVICE("device"),
    MODEL("model");

    private final String id;

    ModuleKind(String id) {
        this.id = id;
    }

    /** The name used in manifests and on the command line. */
    public String id() {
        return id;
    }

    /** The kind named {@code id}; throws with the known names if there is none. */
    public static ModuleKind of(String id) {
        for (ModuleKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown module kind '" + id + "'");
    }
}
