package io.tttv2.registry;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.ModuleKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Every implementation service of every kind (the {@code ModuleFactories} interfaces, {@code Device},
 * {@code ModelRunnerFactory}) with its {@code tttv2.candidate.*} properties, and every
 * {@link FactoryDecorator}. Calls {@code onChange} after every service that comes, goes or changes.
 */
final class FactoryServices {

    private final BundleContext context;
    private final Runnable onChange;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();
    /** By service id; guarded by {@code this}. */
    private final Map<Long, ServiceOffer> offers = new LinkedHashMap<>();
    /** Service objects got so far, by service id; guarded by {@code this}. */
    private final Map<Long, Object> objects = new LinkedHashMap<>();
    /** Decorator references → services; guarded by {@code this}. */
    private final Map<ServiceReference<FactoryDecorator>, FactoryDecorator> decorators = new LinkedHashMap<>();

    FactoryServices(BundleContext context, Runnable onChange) {
        this.context = context;
        this.onChange = onChange;
        for (ModuleKind kind : ModuleKind.values()) {
            trackers.add(track(kind, kind.serviceType()));
        }
        trackers.add(new ServiceTracker<>(context, FactoryDecorator.class,
                new ServiceTrackerCustomizer<FactoryDecorator, FactoryDecorator>() {
            @Override
            public FactoryDecorator addingService(ServiceReference<FactoryDecorator> reference) {
                FactoryDecorator decorator = context.getService(reference);
                if (decorator != null) {
                    synchronized (FactoryServices.this) {
                        decorators.put(reference, decorator);
                    }
                    onChange.run();
                }
                return decorator;
            }

            @Override
            public void modifiedService(ServiceReference<FactoryDecorator> reference, FactoryDecorator decorator) {
                onChange.run();     // its ranking may have changed
            }

            @Override
            public void removedService(ServiceReference<FactoryDecorator> reference, FactoryDecorator decorator) {
                synchronized (FactoryServices.this) {
                    decorators.remove(reference);
                }
                context.ungetService(reference);
                onChange.run();
            }
        }));
    }

    void open() {
        trackers.forEach(ServiceTracker::open);
    }

    void close() {
        trackers.forEach(ServiceTracker::close);
    }

    synchronized List<ServiceOffer> offers() {
        return List.copyOf(offers.values());
    }

    /** The decorators in service ranking order: highest ranking first, then the oldest. */
    synchronized List<FactoryDecorator> decorators() {
        List<ServiceReference<FactoryDecorator>> refs = new ArrayList<>(decorators.keySet());
        refs.sort(Comparator.reverseOrder());
        return refs.stream().map(decorators::get).toList();
    }

    /**
     * The service object of {@code offer}, got on first use and kept until the service goes; null if it
     * cannot be had (gone, or its component failed to activate). Got outside the lock: getting it may
     * activate a component on this thread, which registers services another thread may be tracking.
     */
    Object service(ServiceOffer offer) {
        synchronized (this) {
            Object known = objects.get(offer.serviceId());
            if (known != null) {
                return known;
            }
        }
        Object got = context.getService(offer.reference());
        if (got == null) {
            return null;
        }
        synchronized (this) {
            Object known = offers.containsKey(offer.serviceId()) ? objects.putIfAbsent(offer.serviceId(), got) : null;
            if (known != null || !offers.containsKey(offer.serviceId())) {
                context.ungetService(offer.reference());     // another thread got it first, or it has gone
                return known;
            }
            return got;
        }
    }

    /** Tracks references only: the service objects are got when an assembly chooses one ({@link #service}). */
    private <T> ServiceTracker<T, ServiceReference<T>> track(ModuleKind kind, Class<T> type) {
        return new ServiceTracker<>(context, type, new ServiceTrackerCustomizer<T, ServiceReference<T>>() {
            @Override
            public ServiceReference<T> addingService(ServiceReference<T> reference) {
                record(kind, reference);
                return reference;
            }

            @Override
            public void modifiedService(ServiceReference<T> reference, ServiceReference<T> tracked) {
                record(kind, reference);
            }

            @Override
            public void removedService(ServiceReference<T> reference, ServiceReference<T> tracked) {
                Long id = (Long) reference.getProperty(Constants.SERVICE_ID);
                boolean got;
                synchronized (FactoryServices.this) {
                    offers.remove(id);
                    got = objects.remove(id) != null;
                }
                if (got) {
                    context.ungetService(reference);
                }
                onChange.run();
            }
        });
    }

    private void record(ModuleKind kind, ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        ServiceOffer offer = new ServiceOffer(kind, property(reference, CandidateNamespace.SERVICE_NAME),
                property(reference, CandidateNamespace.SERVICE_VERSION), property(reference, CandidateNamespace.SERVICE_TIER),
                bundle == null ? -1 : bundle.getBundleId(),
                bundle == null ? "(unregistered)" : bundle.getSymbolicName() + "/" + bundle.getVersion(),
                (Long) reference.getProperty(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0, reference);
        synchronized (this) {
            offers.put(offer.serviceId(), offer);
        }
        onChange.run();
    }

    private static String property(ServiceReference<?> reference, String key) {
        Object value = reference.getProperty(key);
        return value == null ? null : value.toString().trim();
    }
}
