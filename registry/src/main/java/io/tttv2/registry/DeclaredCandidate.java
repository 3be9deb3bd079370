package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;

/**
 * A candidate accepted from a manifest, with the bundle that declared it.
 *
 * @param bundleId   the declaring bundle's id
 * @param descriptor what its manifest says
 */
record DeclaredCandidate(long bundleId, CandidateDescriptor descriptor) {
}
