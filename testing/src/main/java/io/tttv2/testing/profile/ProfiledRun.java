package io.tttv2.testing.profile;

/** A profile with the machine peak measured in the same run: what a roofline needs. */
public record ProfiledRun(Profile profile, MachinePeak peak) {

    public ProfiledRun {
        if (profile == null || peak == null) {
            throw new IllegalArgumentException("a profiled run needs a profile and a machine peak");
        }
    }
}
