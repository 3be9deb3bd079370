package io.tttv2.launcher.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The command line, implemented by a bundle and called once by the host with the user's arguments.
 * The host owns the process: it prints start-up failures, then exits with the code returned here.
 */
@ConsumerType
public interface HostCommandLine {

    /** Framework property: the distribution's home folder (holds bundles/ and models/). */
    String HOME_PROPERTY = "tttv2.home";
    /** Framework property: "true" when the user asked for {@code --verbose}. */
    String VERBOSE_PROPERTY = "tttv2.verbose";
    /** Framework property: milliseconds from launch to every bundle active, for {@code --verbose}. */
    String STARTUP_MILLIS_PROPERTY = "tttv2.startup.millis";

    /**
     * Runs one command.
     *
     * @param args the arguments after {@code tttv2}, as typed
     * @return the process exit code: 0 success, 1 failure, 2 usage error
     */
    int run(List<String> args);
}
