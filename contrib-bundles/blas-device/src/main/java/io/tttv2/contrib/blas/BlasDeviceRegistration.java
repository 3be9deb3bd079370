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

    /**
     * The JDK's platform logger (java.util.logging, held by the launcher to its log level), not SLF4J: this
     * component may activate before the SLF4J binding's bundle starts, and SLF4J's first use would then fix
     * the whole host on its no-op logger.
     */
    private static final System.Logger LOG = System.getLogger(BlasDeviceRegistration.class.getName());

    private final ServiceRegistration<Device> registration;

    @Activate
    public BlasDeviceRegistration(BundleContext context, @Reference(target = "(" + Device.NAME + "=cpu)") Device cpu) {
        OpenBlasLibrary.Loaded blas = OpenBlasLibrary.load(OpenBlasLibrary.NAMES);
        if (!blas.available()) {
            LOG.log(System.Logger.Level.INFO, "device " + CANDIDATE + " is unavailable and not registered: " + blas.unavailable());
            registration = null;
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Device.NAME, BlasDevice.NAME);
        properties.put(CandidateNamespace.SERVICE_NAME, CANDIDATE);
        properties.put(CandidateNamespace.SERVICE_VERSION, VERSION);
        properties.put(CandidateNamespace.SERVICE_TIER, "experimental");
        registration = context.registerService(Device.class, new BlasDevice(cpu, blas.blas()), properties);
        LOG.log(System.Logger.Level.DEBUG, () -> "device " + CANDIDATE + " registered, OpenBLAS loaded as " + blas.name());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
