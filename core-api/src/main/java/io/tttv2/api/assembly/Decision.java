package io.tttv2.api.assembly;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;

/**
 * Why one candidate was chosen or rejected for one kind, as {@code modules --explain} prints it.
 *
 * @param kind      the module kind
 * @param candidate the candidate considered
 * @param eligible  true if it meets the requirement and can be bound now (chosen, or outranked)
 * @param chosen    true for the one chosen
 * @param reason    e.g. "chosen: highest tier (core), then highest version, of 2 eligible", "version 2.0.0
 *                  outside [1.0,2)", "tier experimental below contrib", "no dtype BF16", "not resolved: bundle
 *                  acme/1.0.0 does not resolve: imports io.tttv2.api.modules [2.0.0,3.0.0), installed: 1.0.0"
 */
public record Decision(ModuleKind kind, CandidateDescriptor candidate, boolean eligible, boolean chosen, String reason) {
}
