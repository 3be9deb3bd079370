package io.tttv2.api.assembly;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;

/**
 * Why one candidate was chosen or rejected for one kind, as {@code modules --explain} prints it.
 *
 * @param kind      the module kind
 * @param candidate the candidate considered
 * @param chosen    true for the one chosen
 * @param reason    e.g. "chosen: highest tier, then version", "version 2.0.0 outside [1.0,2)", "tier experimental
 *                  below contrib", "no DType BF16", "not resolved: its bundle is INSTALLED"
 */
public record Decision(ModuleKind kind, CandidateDescriptor candidate, boolean chosen, String reason) {
}
