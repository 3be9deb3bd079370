package io.tttv2.api.modules;

import org.osgi.annotation.versioning.ConsumerType;

/** What every module exposes for observability: its kind, spec and config (dumpable, fingerprintable). */
@ConsumerType
public interface Module {

    /** The implementing candidate's name, e.g. {@code tttv2/attention/sdpa}. */
    String candidate();

    /** The spec record this module was built from. */
    Record spec();

    /** The config record this module runs with. */
    Record config();
}
