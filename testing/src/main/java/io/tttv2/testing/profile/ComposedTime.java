package io.tttv2.testing.profile;

/**
 * The seed's "model performance composed from module performance": the time of one unit of a phase (one
 * decoded token, or one prefilled prompt) predicted from the per-module figures alone, as the sum over module
 * kinds of (calls per unit) × (the median time of one call). Compared with the time measured around the
 * whole model, the ratio says how much the model spends outside its modules (sampling, residual glue,
 * scheduling) and how well the modules' medians describe it.
 */
public final class ComposedTime {

    private ComposedTime() {
    }

    /**
     * @param units how many units of {@code phase} the profiled run made (decoded tokens, prefilled prompts)
     * @return predicted nanoseconds per unit
     */
    public static double perUnit(Profile profile, String phase, long units) {
        if (units <= 0) {
            throw new IllegalArgumentException("a composed time needs a positive number of " + phase + " units, found "
                    + units);
        }
        double nanos = 0;
        for (KindProfile k : profile.phase(phase)) {
            nanos += (double) k.calls() / units * k.medianNanos();
        }
        return nanos;
    }
}
