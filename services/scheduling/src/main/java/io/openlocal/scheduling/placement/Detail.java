package io.openlocal.scheduling.placement;

/**
 * How much a placement must produce. The filter needs reasons, the prioritizer a score, the ledger everything;
 * building what nobody reads costs more than placing (a request places on a thousand nodes).
 */
public enum Detail {
    /** Reasons for misses, the assignments and the score. */
    FULL(true, true, true),
    /** Reasons for misses only (the filter). */
    REASONS(true, false, false),
    /** The score only (the prioritizer). */
    SCORE(false, false, true);

    final boolean explain;
    final boolean collect;
    final boolean score;

    Detail(boolean explain, boolean collect, boolean score) {
        this.explain = explain;
        this.collect = collect;
        this.score = score;
    }
}
