package io.tttv2.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.framework.Version;

/**
 * Joins declared candidates with the services implementing them. A service implements a candidate if it
 * is registered by the declaring bundle under the candidate's kind with its name and version; of several,
 * the highest ranking, then the oldest, wins. Pure.
 */
final class Bindings {

    private Bindings() {
    }

    /**
     * @param service      gets an offer's service object (null if it cannot be had)
     * @param whyNoService for a candidate without a service: why (its bundle's state, what it lacks)
     */
    static List<Bindable> of(List<DeclaredCandidate> declared, List<ServiceOffer> offers,
                             Function<ServiceOffer, Object> service, Function<DeclaredCandidate, String> whyNoService) {
        List<Bindable> out = new ArrayList<>();
        for (DeclaredCandidate d : declared) {
            Optional<ServiceOffer> offer = offers.stream().filter(o -> implementing(o, d))
                    .max(Comparator.comparingInt(ServiceOffer::ranking)
                            .thenComparing(ServiceOffer::serviceId, Comparator.reverseOrder()));
            out.add(offer.map(o -> Bindable.bound(d.descriptor(), () -> service.apply(o)))
                    .orElseGet(() -> Bindable.unbound(d.descriptor(), whyNoService.apply(d))));
        }
        return out;
    }

    static boolean implementing(ServiceOffer offer, DeclaredCandidate d) {
        return offer.bundleId() == d.bundleId() && offer.kind() == d.descriptor().kind()
                && d.descriptor().name().equals(offer.name()) && sameVersion(offer.version(), d.descriptor().version());
    }

    static boolean sameVersion(String a, String b) {
        try {
            return a != null && Version.parseVersion(a).equals(Version.parseVersion(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
