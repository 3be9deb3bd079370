package io.tttv2.tests;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/** Waits for a service the way a bundle would: a tracker, a deadline, one clear failure. */
public final class ServiceWait {

    /** Generous: DS activates the distribution's components within milliseconds of start-up. */
    public static final long TIMEOUT_MILLIS = 10_000;

    private ServiceWait() {
    }

    /** The service of {@code type}, waiting up to {@link #TIMEOUT_MILLIS}; fails naming the type if none came. */
    public static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(TIMEOUT_MILLIS);
        if (service == null) {
            throw new AssertionError("no " + type.getName() + " service within " + TIMEOUT_MILLIS + " ms");
        }
        // the tracker stays open: closing it would unget the service the test is about to use
        return service;
    }

    /**
     * The service of {@code type} whose properties match {@code filter} (e.g. {@code (tttv2.model=llama-family)}:
     * several model bundles offer the same interface), waiting as {@link #service(BundleContext, Class)} does.
     */
    public static <T> T service(BundleContext context, Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        tracker.open();
        T service = tracker.waitForService(TIMEOUT_MILLIS);
        if (service == null) {
            throw new AssertionError("no " + type.getName() + " service matching " + filter + " within "
                    + TIMEOUT_MILLIS + " ms");
        }
        return service;
    }
}
