package io.tttv2.models.kit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a checkpoint's tensor names map onto the kit's ({@code model.embed_tokens}, {@code model.layers.N.self_attn.q_proj},
 * {@code model.layers.N.mlp.gate_proj}, {@code model.norm}, {@code lm_head}: Llama's names, which most
 * checkpoints already use). Rules name modules, not tensors — a rule moves a module's {@code weight} and
 * {@code bias} together — and {@code *} in a rule stands for a layer index. Everything a rule does not name keeps
 * its name.
 *
 * <ul>
 *   <li>{@link Builder#rename}: a module or a whole subtree under another name
 *       ({@code model.layers.*.self_attn.o_proj} ← {@code gpt_neox.layers.*.attention.dense}).</li>
 *   <li>{@link Builder#split}: one fused tensor holds several modules' rows one after the other (Phi-3's
 *       {@code qkv_proj}, {@code gate_up_proj}); each part is a view of the fused tensor, nothing is copied.</li>
 *   <li>{@link Builder#splitInterleaved}: the parts alternate in groups (GPT-NeoX's {@code query_key_value}
 *       holds q, k, v head by head); the parts are copied once at load.</li>
 *   <li>{@link Builder#transpose}: the checkpoint stores {@code [in, out]} (GPT-2's Conv1D); copied once, transposed.</li>
 *   <li>{@link Builder#ignore}: checkpoint tensors the model does not use (buffers such as GPT-2's {@code attn.bias}),
 *       which the shape check would otherwise report as unexpected.</li>
 *   <li>{@link Builder#basePrefix}: HF's {@code base_model_prefix} ({@code transformer}, {@code gpt_neox}): a
 *       checkpoint saved from the base model names its tensors without it ({@code h.0.attn.c_attn} for
 *       {@code transformer.h.0.attn.c_attn}), and HF loads it all the same. Which naming a checkpoint uses is
 *       settled once by {@link #forCheckpoint}.</li>
 * </ul>
 * The rows of each part come from the plan (the kit knows every module's shape), so a rule names no size.
 */
public final class WeightMapping {

    private final List<Rename> renames;
    private final List<Split> splits;
    private final List<Pattern> transposed;
    private final List<Pattern> ignored;
    private final String basePrefix;        // "transformer." or "", as the rules write it
    private final boolean withoutBase;      // this checkpoint's names lack basePrefix

    private WeightMapping(Builder b) {
        this.renames = b.renames.stream().sorted(Comparator.comparingInt((Rename r) -> r.kitPattern().length()).reversed()).toList();
        this.splits = List.copyOf(b.splits);
        this.transposed = List.copyOf(b.transposed);
        this.ignored = List.copyOf(b.ignored);
        this.basePrefix = b.basePrefix;
        this.withoutBase = false;
    }

    private WeightMapping(WeightMapping rules, boolean withoutBase) {
        this.renames = rules.renames;
        this.splits = rules.splits;
        this.transposed = rules.transposed;
        this.ignored = rules.ignored;
        this.basePrefix = rules.basePrefix;
        this.withoutBase = withoutBase;
    }

    /** Checkpoints named as the kit names things. */
    public static WeightMapping identity() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This mapping for a checkpoint holding the tensors {@code names}: if none of them carries the
     * {@link Builder#basePrefix base prefix}, the checkpoint was saved from the base model, and every name the
     * rules give is read without it.
     */
    public WeightMapping forCheckpoint(Collection<String> names) {
        boolean without = !basePrefix.isEmpty() && names.stream().noneMatch(n -> n.startsWith(basePrefix));
        return without == withoutBase ? this : new WeightMapping(this, without);
    }

    /**
     * Where the kit's tensor {@code name} (e.g. {@code model.layers.3.self_attn.q_proj.weight}) comes from.
     */
    public Source source(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return new Source(name, false, null, -1, List.of());
        }
        String module = name.substring(0, dot);
        String leaf = name.substring(dot + 1);
        for (Split split : splits) {
            for (int p = 0; p < split.parts().size(); p++) {
                Matcher m = split.parts().get(p).matcher(module);
                if (m.matches()) {
                    String fused = substitute(split.checkpoint(), m) + "." + leaf;
                    return new Source(unbased(fused), isTransposed(fused), split, p, indices(m));
                }
            }
        }
        String renamed = renamed(module) + "." + leaf;
        return new Source(unbased(renamed), isTransposed(renamed), null, -1, List.of());
    }

    /** The checkpoint's name for the kit's module path {@code module} (for reports: HF's module paths). */
    public String checkpointPath(String module) {
        return unbased(renamed(module));
    }

    /** The module path the rules give, base prefix included. */
    private String renamed(String module) {
        for (Rename r : renames) {
            Matcher m = r.kit().matcher(module);
            if (m.lookingAt() && (m.end() == module.length() || module.charAt(m.end()) == '.')) {
                return substitute(r.checkpoint(), m) + module.substring(m.end());
            }
        }
        return module;
    }

    /** True if the checkpoint may hold {@code name} without the model using it. */
    public boolean ignores(String name) {
        return ignored.stream().anyMatch(p -> p.matcher(name).matches()
                || withoutBase && p.matcher(basePrefix + name).matches());
    }

    private String unbased(String name) {
        return withoutBase && name.startsWith(basePrefix) ? name.substring(basePrefix.length()) : name;
    }

    private boolean isTransposed(String checkpointTensor) {
        if (!checkpointTensor.endsWith(".weight")) {
            return false;
        }
        String module = checkpointTensor.substring(0, checkpointTensor.length() - ".weight".length());
        return transposed.stream().anyMatch(p -> p.matcher(module).matches());
    }

    private static List<String> indices(Matcher m) {
        List<String> out = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            out.add(m.group(g));
        }
        return out;
    }

    private static String substitute(String template, Matcher m) {
        StringBuilder out = new StringBuilder();
        int group = 1;
        for (char c : template.toCharArray()) {
            if (c == '*') {
                if (group > m.groupCount()) {
                    throw new IllegalStateException("weight mapping: '" + template + "' has more '*' than its pattern");
                }
                out.append(m.group(group++));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A module pattern: {@code *} is one path segment of digits. */
    static Pattern pattern(String modulePattern) {
        StringBuilder regex = new StringBuilder();
        for (String piece : modulePattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("(\\d+)");
            }
            regex.append(Pattern.quote(piece));
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * Where one of the kit's tensors comes from.
     *
     * @param checkpointName the checkpoint tensor to read (the fused one for a part)
     * @param transposed     read it transposed ({@code [in, out]} → {@code [out, in]})
     * @param split          the split it is a part of, or null
     * @param part           which part, or -1
     * @param layerIndices   the values of the rule's {@code *}
     */
    public record Source(String checkpointName, boolean transposed, Split split, int part, List<String> layerIndices) {

        public boolean isPart() {
            return split != null;
        }
    }

    /**
     * A fused checkpoint module holding {@code parts} (the kit's module patterns, in the order their rows appear).
     *
     * @param groups 1 for parts one after the other; else the parts repeat in this many groups (heads)
     */
    public record Split(String checkpoint, List<Pattern> parts, List<String> partNames, int groups) {
    }

    private record Rename(String kitPattern, Pattern kit, String checkpoint) {
    }

    public static final class Builder {
        private final List<Rename> renames = new ArrayList<>();
        private final List<Split> splits = new ArrayList<>();
        private final List<Pattern> transposed = new ArrayList<>();
        private final List<Pattern> ignored = new ArrayList<>();
        private String basePrefix = "";

        private Builder() {
        }

        /**
         * HF's {@code base_model_prefix} (e.g. {@code transformer}), with which the rules begin the base model's
         * names; a checkpoint whose names all lack it is read without it ({@link #forCheckpoint}).
         */
        public Builder basePrefix(String prefix) {
            if (prefix.isEmpty() || prefix.contains("*") || prefix.endsWith(".")) {
                throw new IllegalArgumentException("weight mapping: base prefix '" + prefix
                        + "' must be a module name without '*' or a trailing '.'");
            }
            basePrefix = prefix + ".";
            return this;
        }

        /** The kit's module (or subtree) {@code kit} is the checkpoint's {@code checkpoint}; {@code *} for layer indices. */
        public Builder rename(String kit, String checkpoint) {
            checkStars(kit, checkpoint);
            renames.add(new Rename(kit, pattern(kit), checkpoint));
            return this;
        }

        /** The checkpoint module {@code checkpoint} holds the rows of {@code kitParts}, one after the other. */
        public Builder split(String checkpoint, String... kitParts) {
            return splitInterleaved(checkpoint, 1, kitParts);
        }

        /**
         * The checkpoint module {@code checkpoint} holds {@code groups} groups, each with a slice of every part in
         * order (GPT-NeoX: per head, q then k then v).
         */
        public Builder splitInterleaved(String checkpoint, int groups, String... kitParts) {
            if (groups <= 0 || kitParts.length < 2) {
                throw new IllegalArgumentException("a split needs at least two parts and a positive group count");
            }
            List<Pattern> parts = new ArrayList<>();
            for (String part : kitParts) {
                checkStars(part, checkpoint);
                parts.add(pattern(part));
            }
            splits.add(new Split(checkpoint, List.copyOf(parts), List.of(kitParts), groups));
            return this;
        }

        /** The checkpoint module's {@code weight} is stored {@code [in, out]}: read it transposed. */
        public Builder transpose(String checkpoint) {
            transposed.add(pattern(checkpoint));
            return this;
        }

        /** Checkpoint tensors (full names, {@code *} for layer indices) the model leaves unused. */
        public Builder ignore(String checkpointTensor) {
            ignored.add(pattern(checkpointTensor));
            return this;
        }

        /**
         * Every checkpoint tensor under the module {@code checkpointModule} (a full path, {@code *} for layer
         * indices): whole modules the model leaves unused, e.g. DeepSeek-V3's multi-token-prediction layer.
         */
        public Builder ignoreUnder(String checkpointModule) {
            ignored.add(Pattern.compile(pattern(checkpointModule).pattern() + "\\..+"));
            return this;
        }

        public WeightMapping build() {
            return new WeightMapping(this);
        }

        private static void checkStars(String a, String b) {
            if (a.chars().filter(c -> c == '*').count() != b.chars().filter(c -> c == '*').count()) {
                throw new IllegalArgumentException("weight mapping: '" + a + "' and '" + b + "' differ in their '*'");
            }
        }
    }
}
