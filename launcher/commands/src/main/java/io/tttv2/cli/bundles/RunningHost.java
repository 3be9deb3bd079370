package io.tttv2.cli.bundles;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Applies an install or a removal of the user folder to the framework this command runs in, as the host
 * would at its next start: the jar installed by reference and started (replacing an earlier version of the
 * same bundle), or uninstalled, then the framework refreshed so nothing stays wired to what went away. A
 * failure here is a warning: the folder, which the next start reads, is already right.
 */
final class RunningHost {

    private final BundleContext context;
    private final UserFolder folder;

    RunningHost(BundleContext context, UserFolder folder) {
        this.context = context;
        this.folder = folder;
    }

    void installed(Path jar, String symbolicName, PrintWriter err) {
        List<Bundle> replaced = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && folder.holds(b.getLocation())) {
                replaced.add(b);
            }
        }
        try {
            for (Bundle old : replaced) {
                old.uninstall();
            }
            refresh(replaced);
            Bundle bundle = context.installBundle("reference:" + jar.toUri());
            bundle.start(Bundle.START_ACTIVATION_POLICY);
        } catch (BundleException | IllegalStateException e) {
            err.println("tttv2: warning: installed into " + folder.bundlesFolder() + ", but not started in this host: "
                    + JarSignature.oneLine(e.getMessage()) + " (it is installed at the next start)");
            err.flush();
        }
    }

    void removed(Path jar) {
        List<Bundle> gone = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().equals("reference:" + jar.toUri())) {
                try {
                    b.uninstall();
                    gone.add(b);
                } catch (BundleException | IllegalStateException e) {
                    // the file is gone already: the next start does not install it
                }
            }
        }
        refresh(gone);
    }

    private void refresh(List<Bundle> bundles) {
        if (!bundles.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles);
        }
    }
}
