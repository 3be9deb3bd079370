package io.tttv2.registry;

import io.tttv2.api.candidate.ModuleKind;
import org.osgi.framework.ServiceReference;

/**
 * One registered implementation service, as the resolver sees it: which kind, which candidate it says it
 * implements (its {@code tttv2.candidate.*} properties, null where absent) and who registered it.
 *
 * @param kind      the kind its service interface implements
 * @param name      {@code tttv2.candidate.name}, or null
 * @param version   {@code tttv2.candidate.version}, or null
 * @param tier      {@code tttv2.candidate.tier}, or null
 * @param bundleId  the registering bundle
 * @param bundle    {@code bsn/version} of the registering bundle, for messages
 * @param serviceId {@code service.id}
 * @param ranking   {@code service.ranking} (0 if absent): the higher wins when two services offer one candidate
 * @param reference the service's reference; the object is got only when an assembly chooses it (getting it
 *                  activates a delayed component, which may itself need the resolver)
 */
record ServiceOffer(ModuleKind kind, String name, String version, String tier, long bundleId, String bundle,
                    long serviceId, int ranking, ServiceReference<?> reference) {
}
