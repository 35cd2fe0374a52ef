package io.openlocal.extender.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The extender's Prometheus metrics: request timings and outcomes (Micrometer), plus per-node storage gauges
 * with Open-Local's names ({@code local_volume_group_total}, {@code local_device_bind}, ...) written from the
 * ledger at scrape time, since the node set changes under us.
 */
public final class ExtenderMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AllocationLedger ledger;
    private final Timer filter;
    private final Timer prioritize;
    private final Timer allocate;
    private final Counter nodesPassed;
    private final Counter nodesFailed;
    private final Counter promisesRefused;

    public ExtenderMetrics(AllocationLedger ledger) {
        this.ledger = ledger;
        filter = timer("filter");
        prioritize = timer("prioritize");
        allocate = timer("allocate");
        nodesPassed = Counter.builder("openlocal.extender.filter.nodes").tag("result", "passed")
                .description("Nodes the filter let through").register(registry);
        // Rejects by reason, as the chart's dashboard plots them (openlocal_extender_rejects_total{reason}).
        nodesFailed = Counter.builder("openlocal.extender.rejects").tag("reason", "node-does-not-fit")
                .description("Nodes the filter rejected, and claims the ledger refused").register(registry);
        promisesRefused = Counter.builder("openlocal.extender.rejects").tag("reason", "ledger-has-no-room")
                .description("Nodes the filter rejected, and claims the ledger refused").register(registry);
        Gauge.builder("openlocal.ledger.entries", () -> ledger.counts().values().stream().mapToLong(Number::longValue).sum())
                .description("Claims the ledger holds, promised or confirmed").register(registry);
        Gauge.builder("openlocal.ledger.allocations", () -> ledger.counts().get(Allocation.Status.PROMISED))
                .tag("status", "promised").description("Claims promised, volume not yet seen").register(registry);
        Gauge.builder("openlocal.ledger.allocations", () -> ledger.counts().get(Allocation.Status.CONFIRMED))
                .tag("status", "confirmed").description("Claims with a provisioned volume").register(registry);
    }

    private Timer timer(String route) {
        // A histogram, so p50/p99 can be computed across replicas (openlocal_extender_decision_seconds_bucket{verb}).
        return Timer.builder("openlocal.extender.decision").tag("verb", route).publishPercentileHistogram()
                .description("Time to answer a scheduler extender request").register(registry);
    }

    public void filtered(long nanos, int passed, int failed) {
        filter.record(nanos, TimeUnit.NANOSECONDS);
        nodesPassed.increment(passed);
        nodesFailed.increment(failed);
    }

    public void prioritized(long nanos) {
        prioritize.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void allocated(long nanos) {
        allocate.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void badRequest(String route) {
        Counter.builder("openlocal.extender.bad.requests").tag("route", route)
                .description("Requests answered 400").register(registry).increment();
    }

    public void promiseRefused() {
        promisesRefused.increment();
    }

    /** Prometheus text exposition of everything. */
    public String scrape() {
        StringBuilder sb = new StringBuilder(registry.scrape());
        List<NodeState> nodes = ledger.states();
        gaugeHeader(sb, "local_volume_group_total", "Allocatable size of VG.");
        for (NodeState n : nodes) {
            NodeCapacity c = n.capacity();
            if (c != null) {
                for (int i = 0; i < c.volumeGroups().size(); i++) {
                    SharedPool vg = c.volumeGroups().get(i);
                    line(sb, "local_volume_group_total", vg.capacityBytes(), "nodename", n.nodeName(), "vgname", vg.name());
                }
            }
        }
        gaugeHeader(sb, "local_volume_group_used", "Used size of VG (provisioned and promised).");
        for (NodeState n : nodes) {
            NodeCapacity c = n.capacity();
            if (c != null) {
                for (int i = 0; i < c.volumeGroups().size(); i++) {
                    line(sb, "local_volume_group_used", n.usedBytes(false, i), "nodename", n.nodeName(), "vgname",
                            c.volumeGroups().get(i).name());
                }
            }
        }
        disks(sb, nodes, false, "local_device_total", "local_device_bind", "Device");
        disks(sb, nodes, true, "local_mount_point_total", "local_mount_point_bind", "MountPoint");
        gaugeHeader(sb, "local_allocated_num", "Allocations on the node (provisioned and promised).");
        for (NodeState n : nodes) {
            line(sb, "local_allocated_num", n.allocations().size(), "nodename", n.nodeName());
        }
        return sb.toString();
    }

    private static void disks(StringBuilder sb, List<NodeState> nodes, boolean mounts, String total, String bind,
                              String what) {
        gaugeHeader(sb, total, "Total size of " + what + ".");
        for (NodeState n : nodes) {
            NodeCapacity c = n.capacity();
            if (c != null) {
                for (ExclusiveDisk d : c.disks(mounts)) {
                    line(sb, total, d.capacityBytes(), "nodename", n.nodeName(), "name", d.name(), "type",
                            d.mediaType().label());
                }
            }
        }
        gaugeHeader(sb, bind, "Is " + what + " bound (provisioned or promised).");
        for (NodeState n : nodes) {
            NodeCapacity c = n.capacity();
            if (c != null) {
                for (int i = 0; i < c.disks(mounts).size(); i++) {
                    line(sb, bind, n.diskHolder(mounts, i) == null ? 0 : 1, "nodename", n.nodeName(), "name",
                            c.disks(mounts).get(i).name());
                }
            }
        }
    }

    private static void gaugeHeader(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void line(StringBuilder sb, String name, long value, String... labels) {
        sb.append(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(labels[i]).append("=\"");
            escape(sb, labels[i + 1]);
            sb.append('"');
        }
        sb.append("} ").append(value).append('\n');
    }

    private static void escape(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}
