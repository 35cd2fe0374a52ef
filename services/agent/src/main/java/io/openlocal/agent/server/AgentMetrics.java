package io.openlocal.agent.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.agent.init.InitOutcome;
import io.openlocal.agent.node.PassResult;
import io.openlocal.backend.command.CommandObserver;
import io.openlocal.observe.metrics.CommandMetrics;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The agent's Prometheus metrics ({@code GET /metrics}). */
public final class AgentMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer passDuration;
    private final Counter passesOk;
    private final Counter passesFailed;
    private final Counter statusWritten;
    private final Counter statusUnchanged;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final MultiGauge vgBytes;
    private final MultiGauge deviceCount;
    private final MultiGauge poolCapacity;
    private final MultiGauge poolFree;
    private final MultiGauge volumes;

    private final String node;

    public AgentMetrics(String node, Supplier<Number> statusConflicts, Supplier<Number> eventFailures) {
        this.node = node;
        passDuration = Timer.builder("openlocal_agent_pass_duration")
                .description("time of one discovery/initialisation pass").register(registry);
        passesOk = Counter.builder("openlocal_agent_passes").tag("outcome", "ok").register(registry);
        passesFailed = Counter.builder("openlocal_agent_passes").tag("outcome", "error").register(registry);
        statusWritten = Counter.builder("openlocal_agent_status_writes").tag("outcome", "written").register(registry);
        statusUnchanged = Counter.builder("openlocal_agent_status_writes").tag("outcome", "unchanged")
                .register(registry);
        Gauge.builder("openlocal_agent_status_conflicts", statusConflicts).register(registry);
        Gauge.builder("openlocal_agent_event_failures", eventFailures).register(registry);
        Gauge.builder("openlocal_agent_last_success_timestamp_seconds", lastSuccessEpochSeconds, AtomicLong::get)
                .register(registry);
        vgBytes = MultiGauge.builder("openlocal_agent_vg_bytes").description("VG sizes by figure").register(registry);
        deviceCount = MultiGauge.builder("openlocal_agent_devices").description("devices by condition")
                .register(registry);
        // The pool metrics the Helm chart's dashboard plots (charts/open-local/README.md, metrics contract).
        poolCapacity = MultiGauge.builder("openlocal_pool_capacity_bytes").description("size of each pool")
                .register(registry);
        poolFree = MultiGauge.builder("openlocal_pool_free_bytes").description("free bytes of each pool")
                .register(registry);
        volumes = MultiGauge.builder("openlocal_volumes").description("logical volumes in each volume group")
                .register(registry);
    }

    public void passSucceeded(Duration took, PassResult result, boolean written, long nowEpochSeconds) {
        passDuration.record(took);
        passesOk.increment();
        (written ? statusWritten : statusUnchanged).increment();
        lastSuccessEpochSeconds.set(nowEpochSeconds);
        for (InitOutcome o : result.outcomes()) {
            Counter.builder("openlocal_agent_init").tag("type", o.type().volumeType())
                    .tag("result", o.result().name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
        }
        NodeLocalStorageStatus status = result.status();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (var vg : status.nodeStorageInfo().volumeGroups()) {
            rows.add(MultiGauge.Row.of(Tags.of("vg", vg.name(), "figure", "total"), vg.total()));
            rows.add(MultiGauge.Row.of(Tags.of("vg", vg.name(), "figure", "available"), vg.available()));
            rows.add(MultiGauge.Row.of(Tags.of("vg", vg.name(), "figure", "allocatable"), vg.allocatable()));
        }
        vgBytes.register(rows, true);
        List<MultiGauge.Row<?>> devices = new ArrayList<>();
        status.nodeStorageInfo().deviceInfo().stream()
                .collect(java.util.stream.Collectors.groupingBy(d -> String.valueOf(d.condition()),
                        java.util.stream.Collectors.counting()))
                .forEach((condition, n) -> devices.add(MultiGauge.Row.of(Tags.of("condition", condition), n)));
        deviceCount.register(devices, true);
        registerPools(status);
    }

    /** Capacity and free bytes per pool (VG, device, mount point, SPDK lvstore), labelled node, pool and type. */
    private void registerPools(NodeLocalStorageStatus status) {
        List<MultiGauge.Row<?>> capacity = new ArrayList<>();
        List<MultiGauge.Row<?>> free = new ArrayList<>();
        List<MultiGauge.Row<?>> lvs = new ArrayList<>();
        var info = status.nodeStorageInfo();
        var allowedDevices = status.filteredStorageInfo() == null ? List.<String>of()
                : status.filteredStorageInfo().devices();
        for (var vg : info.volumeGroups()) {
            Tags tags = Tags.of("node", node, "pool", vg.name(), "type", "LVM");
            capacity.add(MultiGauge.Row.of(tags, orZero(vg.total())));
            free.add(MultiGauge.Row.of(tags, orZero(vg.available())));
            lvs.add(MultiGauge.Row.of(Tags.of("node", node, "pool", vg.name()), vg.logicalVolumes().size()));
        }
        for (var device : info.deviceInfo()) {
            Tags tags = Tags.of("node", node, "pool", device.name(), "type", "Device");
            capacity.add(MultiGauge.Row.of(tags, orZero(device.total())));
            // A whole device is free when it may be allocated (listed as filtered) and is not full or faulty.
            boolean usable = allowedDevices.contains(device.name()) && "DiskReady".equals(device.condition());
            free.add(MultiGauge.Row.of(tags, usable ? orZero(device.total()) : 0L));
        }
        for (var mount : info.mountPoints()) {
            Tags tags = Tags.of("node", node, "pool", mount.name(), "type", "MountPoint");
            capacity.add(MultiGauge.Row.of(tags, orZero(mount.total())));
            free.add(MultiGauge.Row.of(tags, orZero(mount.available())));
        }
        for (var store : info.spdkStores()) {
            Tags tags = Tags.of("node", node, "pool", store.name(), "type", "SPDK");
            capacity.add(MultiGauge.Row.of(tags, orZero(store.total())));
            free.add(MultiGauge.Row.of(tags, orZero(store.available())));
        }
        poolCapacity.register(capacity, true);
        poolFree.register(free, true);
        volumes.register(lvs, true);
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    public void passFailed(Duration took) {
        passDuration.record(took);
        passesFailed.increment();
    }

    /** Times the backends' external commands into this registry ({@code openlocal_backend_command_seconds}). */
    public CommandObserver commandObserver() {
        return new CommandMetrics(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
