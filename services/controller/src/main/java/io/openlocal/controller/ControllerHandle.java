package io.openlocal.controller;

import io.openlocal.controller.kube.ControllerLoop;
import io.openlocal.controller.leader.LeaderLoop;
import io.openlocal.controller.server.ControllerMetrics;
import io.openlocal.observe.ObserveServer;
import java.util.function.Supplier;

/** A running controller instance; {@link #close()} stops its work and gives up the lease. */
public final class ControllerHandle implements AutoCloseable {

    /** The leader-only work: one {@link ControllerLoop} per leadership term. */
    static final class Work {
        private final Supplier<ControllerLoop> factory;
        private final ControllerMetrics metrics;
        private ControllerLoop loop;

        Work(Supplier<ControllerLoop> factory, ControllerMetrics metrics) {
            this.factory = factory;
            this.metrics = metrics;
        }

        synchronized void start() {
            if (loop == null) {
                loop = factory.get();
                loop.start();
                metrics.leader(true);
            }
        }

        synchronized void stop() {
            if (loop != null) {
                loop.close();
                loop = null;
                metrics.leader(false);
            }
        }

        synchronized boolean running() {
            return loop != null;
        }

        /** A non-leader is ready (it is a standby); a leader is ready once its caches synced. */
        synchronized String readinessProblem() {
            return loop == null || loop.synced() ? null : "informer caches have not synced yet";
        }
    }

    private final Work work;
    private final LeaderLoop leader;
    private final ObserveServer server;
    private final ControllerMetrics metrics;

    ControllerHandle(Work work, LeaderLoop leader, ObserveServer server, ControllerMetrics metrics) {
        this.work = work;
        this.leader = leader;
        this.server = server;
        this.metrics = metrics;
    }

    /** Whether this instance does the work now (it leads, or election is off). */
    public boolean leading() {
        return work.running();
    }

    /** NLS creates, updates and deletes this instance made. */
    public long writes() {
        return metrics.writes();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (leader != null) {
            leader.close();
        }
        work.stop();
        server.close();
    }
}
