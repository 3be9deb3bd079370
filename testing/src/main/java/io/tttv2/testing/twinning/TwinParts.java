package io.tttv2.testing.twinning;

import io.tttv2.api.modules.Module;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * A layer's parts record ({@code DecoderLayerParts}, {@code EncoderLayerParts}) with each twinned part replaced by
 * its twin, so that a twin layer runs twin parts; any other record is returned as it is.
 */
final class TwinParts {

    private TwinParts() {
    }

    static Record swap(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        boolean holdsModules = false;
        for (RecordComponent c : components) {
            holdsModules |= Module.class.isAssignableFrom(c.getType());
        }
        if (!holdsModules) {
            return record;
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = TwinFactories.twinOf(components[i].getAccessor().invoke(record));
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return (Record) canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + record.getClass().getSimpleName() + " with twin parts: "
                    + (e instanceof InvocationTargetException t ? t.getCause() : e), e);
        }
    }
}
