package io.tttv2.contrib.blas;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.ops.Device;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the {@link BlasDevice} as a {@link Device} service ({@code tttv2.device=blas}, candidate
 * {@value #CANDIDATE} {@value #VERSION}, tier experimental) over the CPU device — but only if OpenBLAS loads.
 * If it does not, one warning says why and nothing is registered: the candidate stays declared, and
 * {@code tttv2 modules} lists it unusable (its bundle registers no Device); nothing else is affected.
 */
@Component(immediate = true, service = {})
public final class BlasDeviceRegistration {

    public static final String CANDIDATE = "tttv2/device/blas";
    /** The candidate's own version line (bnd.bnd declares the same). */
    public static final String VERSION = "0.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(BlasDeviceRegistration.class);

    private final ServiceRegistration<Device> registration;

    @Activate
    public BlasDeviceRegistration(BundleContext context, @Reference(target = "(" + Device.NAME + "=cpu)") Device cpu) {
        OpenBlasLibrary.Loaded blas = OpenBlasLibrary.load(OpenBlasLibrary.NAMES);
        if (!blas.available()) {
            LOG.warn("device {} is unavailable and not registered: {}", CANDIDATE, blas.unavailable());
            registration = null;
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Device.NAME, BlasDevice.NAME);
        properties.put(CandidateNamespace.SERVICE_NAME, CANDIDATE);
        properties.put(CandidateNamespace.SERVICE_VERSION, VERSION);
        properties.put(CandidateNamespace.SERVICE_TIER, "experimental");
        registration = context.registerService(Device.class, new BlasDevice(cpu, blas.blas()), properties);
        LOG.debug("device {} registered, OpenBLAS loaded as {}", CANDIDATE, blas.name());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
