package io.tttv2.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Specs, configs and options (records) as JSON, field by field in declaration order: numbers, booleans and
 * strings as themselves, enums by name, nested records as objects, sets and maps sorted (so a dump is the same
 * on every run), non-finite floats and anything else by its text.
 */
final class RecordJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RecordJson() {
    }

    static JsonNode of(Object value) {
        return switch (value) {
            case null -> F.nullNode();
            case Boolean b -> F.booleanNode(b);
            case Integer i -> F.numberNode(i);
            case Long l -> F.numberNode(l);
            case Short s -> F.numberNode(s);
            case Byte b -> F.numberNode(b);
            case Float f -> Float.isFinite(f) ? F.numberNode(f) : F.textNode(f.toString());
            case Double d -> Double.isFinite(d) ? F.numberNode(d) : F.textNode(d.toString());
            case CharSequence s -> F.textNode(s.toString());
            case Enum<?> e -> F.textNode(e.name());
            case OptionalLong o -> o.isPresent() ? F.numberNode(o.getAsLong()) : F.nullNode();
            case OptionalInt o -> o.isPresent() ? F.numberNode(o.getAsInt()) : F.nullNode();
            case OptionalDouble o -> o.isPresent() ? of(o.getAsDouble()) : F.nullNode();
            case Optional<?> o -> of(o.orElse(null));
            case Record r -> record(r);
            case java.util.Set<?> set -> list(set.stream().sorted((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))).toList());
            case Collection<?> c -> list(c);
            case Map<?, ?> m -> map(m);
            case int[] a -> list(java.util.Arrays.stream(a).boxed().toList());
            case long[] a -> list(java.util.Arrays.stream(a).boxed().toList());
            case float[] a -> {
                ArrayNode out = F.arrayNode();
                for (float f : a) {
                    out.add(of(f));
                }
                yield out;
            }
            default -> F.textNode(value.toString());
        };
    }

    private static ObjectNode record(Record r) {
        ObjectNode out = F.objectNode();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                out.set(c.getName(), of(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.put(c.getName(), "(unreadable: " + e.getClass().getSimpleName() + ")");
            }
        }
        return out;
    }

    private static ArrayNode list(Collection<?> values) {
        ArrayNode out = F.arrayNode();
        values.forEach(v -> out.add(of(v)));
        return out;
    }

    private static ObjectNode map(Map<?, ?> m) {
        ObjectNode out = F.objectNode();
        Map<String, Object> sorted = new TreeMap<>();
        m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
        sorted.forEach((k, v) -> out.set(k, of(v)));
        return out;
    }
}
