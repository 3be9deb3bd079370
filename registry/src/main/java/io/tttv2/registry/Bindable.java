package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import java.util.function.Supplier;

/**
 * A declared candidate and whether it can be bound now: its implementing service, or why there is none.
 *
 * @param candidate   the manifest's declaration
 * @param factory     gets the service implementing it (null if it cannot be had), or null if there is none
 * @param unavailable why there is no service (e.g. "not resolved: bundle acme/1.0.0 ..."), null if there is one
 */
record Bindable(CandidateDescriptor candidate, Supplier<Object> factory, String unavailable) {

    static Bindable bound(CandidateDescriptor candidate, Supplier<Object> factory) {
        return new Bindable(candidate, factory, null);
    }

    static Bindable unbound(CandidateDescriptor candidate, String why) {
        return new Bindable(candidate, null, why);
    }
}
