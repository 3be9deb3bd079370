package io.tttv2.cli.report;

import io.tttv2.cli.UserError;
import io.tttv2.testing.profile.ProfileRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The testing bundle's {@link ProfileRegistry}, found in the framework: {@code --profile} switches module
 * profiling on and off through it (its factory decorator then wraps what the host hands out).
 */
public final class ProfileService {

    private ProfileService() {
    }

    /** The registry; a one-line {@link UserError} if the testing bundle does not offer it. */
    public static ProfileRegistry require(BundleContext context) {
        ServiceReference<ProfileRegistry> ref = context.getServiceReference(ProfileRegistry.class);
        ProfileRegistry registry = ref == null ? null : context.getService(ref);
        if (registry == null) {
            throw new UserError("--profile needs the io.tttv2.testing bundle, which offers no profile registry here"
                    + " (is it installed and active?)");
        }
        return registry;
    }
}
