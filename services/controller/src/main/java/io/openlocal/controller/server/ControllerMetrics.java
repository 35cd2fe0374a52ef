package io.openlocal.controller.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.controller.reconcile.NlsPlanner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The controller's Prometheus metrics ({@code GET /metrics}). */
public final class ControllerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicLong writes = new AtomicLong();
    private final Counter created;
    private final Counter updated;
    private final Counter deleted;
    private final Counter failures;
    private final Counter invalid;

    public ControllerMetrics() {
        Gauge.builder("openlocal_controller_leader", leader, AtomicInteger::get)
                .description("1 while this instance is the leader").register(registry);
        created = Counter.builder("openlocal_controller_nls_writes").tag("action", "create").register(registry);
        updated = Counter.builder("openlocal_controller_nls_writes").tag("action", "update").register(registry);
        deleted = Counter.builder("openlocal_controller_nls_writes").tag("action", "delete").register(registry);
        failures = Counter.builder("openlocal_controller_reconcile_failures").register(registry);
        invalid = Counter.builder("openlocal_controller_invalid_initconfig").register(registry);
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    public void wrote(NlsPlanner.Action action) {
        writes.incrementAndGet();
        switch (action) {
            case NlsPlanner.Create c -> created.increment();
            case NlsPlanner.Update u -> updated.increment();
            case NlsPlanner.Delete d -> deleted.increment();
            case NlsPlanner.Leave l -> { }
        }
    }

    /** NLS creates, updates and deletes this instance made. */
    public long writes() {
        return writes.get();
    }

    public void reconcileFailed() {
        failures.increment();
    }

    public void invalidInitConfig() {
        invalid.increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
