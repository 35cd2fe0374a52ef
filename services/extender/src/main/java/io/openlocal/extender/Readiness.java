package io.openlocal.extender;

/**
 * Whether the extender's view of the cluster is complete enough to answer: false until every informer has
 * listed its objects and the ledger has been rebuilt from them. Answers before that would let pods onto space
 * that is already promised.
 */
public final class Readiness {

    private volatile boolean ready;

    /** A readiness that starts ready (no cluster to wait for: tests, benchmarks). */
    public static Readiness alreadyReady() {
        Readiness r = new Readiness();
        r.markReady();
        return r;
    }

    public boolean ready() {
        return ready;
    }

    public void markReady() {
        ready = true;
    }

    public void markNotReady() {
        ready = false;
    }
}
