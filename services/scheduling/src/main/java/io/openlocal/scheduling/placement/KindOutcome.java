package io.openlocal.scheduling.placement;

import java.util.List;

/**
 * What one placer decided for the claims of one volume kind: assignments plus a score out of
 * {@code maxScore}, or a failure.
 */
record KindOutcome(List<Assignment> assignments, double rawScore, double maxScore, String failure,
                   boolean resolvable) {

    static final KindOutcome NOTHING = new KindOutcome(List.of(), 0, 0, null, true);

    static KindOutcome fits(List<Assignment> assignments, double rawScore, double maxScore) {
        return new KindOutcome(assignments, rawScore, maxScore, null, true);
    }

    /** Reason given when the caller does not want one (prioritize): building reasons costs more than placing. */
    static final String UNEXPLAINED = "does not fit";

    static KindOutcome fails(Detail detail, PreparedPod.Reasons reasons, ClaimRequestKey key,
                             java.util.function.Supplier<String> failure, boolean resolvable) {
        String reason = detail.explain ? reasons.get(key.claim(), key.code(), failure) : UNEXPLAINED;
        return new KindOutcome(List.of(), 0, 0, reason, resolvable);
    }

    /** Which reason: the claim it is about and what went wrong ({@link PreparedPod.Reasons} codes). */
    record ClaimRequestKey(io.openlocal.scheduling.claim.ClaimRequest claim, int code) {
    }

    boolean failed() {
        return failure != null;
    }
}
