package io.openlocal.observe.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.openlocal.backend.command.CommandObserver;
import java.time.Duration;
import java.util.Objects;

/**
 * Times every backend command into {@code openlocal_backend_command_seconds{program,outcome}}, a histogram (with
 * its {@code _count} and {@code _sum}), under the name and labels the chart's dashboard reads
 * (charts/open-local/README.md, "Metrics"). {@code program} is {@link io.openlocal.backend.command.Command#tool()},
 * {@code outcome} is {@code ok}, {@code failed} or {@code timeout}.
 */
public final class CommandMetrics implements CommandObserver {

    /** Micrometer's name; the Prometheus registry adds the {@code _seconds} unit. */
    public static final String NAME = "openlocal.backend.command";

    /**
     * Fixed buckets from a fast lsblk to a slow mkfs, instead of Micrometer's ~70 percentile buckets: a node runs
     * a dozen tools with three outcomes each, and the scrape should stay small.
     */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(600)};

    private final MeterRegistry registry;

    public CommandMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void finished(String tool, Duration elapsed, Outcome outcome) {
        Timer.builder(NAME)
                .description("external commands run by the storage backends, by program and outcome")
                .tag("program", tool)
                .tag("outcome", outcome.label())
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(elapsed);
    }
}
