package io.tttv2.tests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;

/**
 * Records every class the framework is about to define from one bundle, whatever asked for it and
 * whether or not its bytes are valid: the framework calls each weaving hook with a class's bytes before
 * defining it. So an empty record means no class of that bundle was loaded.
 */
public final class ClassLoadRecorder implements WeavingHook, AutoCloseable {

    private final String symbolicName;
    private final List<String> loaded = new CopyOnWriteArrayList<>();
    private final ServiceRegistration<WeavingHook> registration;

    private ClassLoadRecorder(BundleContext context, String symbolicName) {
        this.symbolicName = symbolicName;
        this.registration = context.registerService(WeavingHook.class, this, null);
    }

    /** Starts recording the classes loaded from the bundle named {@code symbolicName}. */
    public static ClassLoadRecorder forBundle(BundleContext context, String symbolicName) {
        return new ClassLoadRecorder(context, symbolicName);
    }

    @Override
    public void weave(WovenClass woven) {
        if (symbolicName.equals(woven.getBundleWiring().getBundle().getSymbolicName())) {
            loaded.add(woven.getClassName());
        }
    }

    /** The classes loaded so far from the bundle, in order. */
    public List<String> loaded() {
        return List.copyOf(loaded);
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
