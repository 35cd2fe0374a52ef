package io.openlocal.scheduling.placement;

import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether and where a pod's pending claims fit on one node, and scores the node. A pure function of
 * the pod and a {@link NodeState}: the filter, the prioritizer and the ledger's reservation all call it, so what
 * the filter accepts is exactly what gets reserved.
 *
 * <p>The node score is 0..10: the kinds the pod uses are scored separately (LVM and SPDK out of 10, Device and
 * MountPoint out of 15, see the placers) and the sum is scaled by the sum of their maxima. v0.8.0 added the
 * kinds' scores up unscaled (a Device pod could get 15, a mixed pod more) and truncated each to an integer.
 */
public final class Placer {

    private final Strategy strategy;

    public Placer(Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    public Strategy strategy() {
        return strategy;
    }

    /** Places {@code pod} on {@code node}. */
    public PlacementResult place(PodRequest pod, NodeState node) {
        return place(prepare(pod), node);
    }

    /** Groups a pod's claims once, for placing it on many nodes. */
    public Prepared prepare(PodRequest pod) {
        return new Prepared(PreparedPod.of(pod));
    }

    /** Places a prepared pod on {@code node}, with a reason when it does not fit, assignments and a score. */
    public PlacementResult place(Prepared prepared, NodeState node) {
        return place(prepared, node, Detail.FULL);
    }

    /**
     * Places a prepared pod on {@code node}, producing only what {@code detail} asks for: a miss without
     * {@code explain} carries a fixed reason, a fit without {@code collect} has no assignments, and one without
     * {@code score} has a NaN score.
     */
    public PlacementResult place(Prepared prepared, NodeState node, Detail detail) {
        if (!node.hasCapacity()) {
            return new PlacementResult.DoesNotFit("node " + node.nodeName()
                    + " has no NodeLocalStorage status (its Open-Local agent has not reported)", false);
        }
        PreparedPod pod = prepared.pod;
        PreparedPod.Reasons reasons = pod.reasons; // shared by all nodes of the request, also when pod is narrowed
        List<Assignment> existing = List.of();
        if (!node.allocations().isEmpty()) {
            existing = alreadyHere(pod.pod, node);
            if (!existing.isEmpty()) {
                pod = PreparedPod.of(remaining(pod.pod, node));
            }
        }
        KindOutcome lvm = SharedPoolPlacer.place(pod.lvm, node, false, strategy, detail, reasons);
        if (lvm.failed()) {
            return new PlacementResult.DoesNotFit(lvm.failure(), lvm.resolvable());
        }
        KindOutcome spdk = SharedPoolPlacer.place(pod.spdk, node, true, strategy, detail, reasons);
        if (spdk.failed()) {
            return new PlacementResult.DoesNotFit(spdk.failure(), spdk.resolvable());
        }
        KindOutcome devices = ExclusiveDiskPlacer.place(pod.devices, node, false, detail, reasons);
        if (devices.failed()) {
            return new PlacementResult.DoesNotFit(devices.failure(), devices.resolvable());
        }
        KindOutcome mounts = ExclusiveDiskPlacer.place(pod.mountPoints, node, true, detail, reasons);
        if (mounts.failed()) {
            return new PlacementResult.DoesNotFit(mounts.failure(), mounts.resolvable());
        }
        double nodeScore = Double.NaN;
        if (detail.score) {
            double max = lvm.maxScore() + spdk.maxScore() + devices.maxScore() + mounts.maxScore();
            double raw = lvm.rawScore() + spdk.rawScore() + devices.rawScore() + mounts.rawScore();
            // All claims already set aside here: this is the node the pod has to go to.
            nodeScore = max == 0 ? 10.0 : Math.max(0.0, Math.min(10.0, 10.0 * raw / max));
        }
        if (!detail.collect) {
            return new PlacementResult.Fits(List.of(), nodeScore);
        }
        return new PlacementResult.Fits(join(existing, lvm, spdk, devices, mounts), nodeScore);
    }

    /**
     * The integer score the kube-scheduler extender API carries (0..10), rounded to nearest; v0.8.0 truncated
     * (9.999 became 9).
     */
    public static long extenderScore(double score) {
        if (Double.isNaN(score)) {
            return 0;
        }
        return Math.max(0, Math.min(10, Math.round(score)));
    }

    private static List<Assignment> join(List<Assignment> existing, KindOutcome... kinds) {
        List<Assignment> only = existing.isEmpty() ? null : existing;
        int nonEmpty = existing.isEmpty() ? 0 : 1;
        for (KindOutcome k : kinds) {
            if (!k.assignments().isEmpty()) {
                only = k.assignments();
                nonEmpty++;
            }
        }
        if (nonEmpty <= 1) {
            return only == null ? List.of() : only; // the common case: one kind, nothing placed before
        }
        List<Assignment> all = new ArrayList<>(existing);
        for (KindOutcome k : kinds) {
            all.addAll(k.assignments());
        }
        return all;
    }

    private static List<Assignment> alreadyHere(PodRequest pod, NodeState node) {
        List<Assignment> here = List.of();
        for (ClaimRequest c : pod.claims()) {
            Allocation a = node.allocation(c.key());
            if (a != null) {
                if (here.isEmpty()) {
                    here = new ArrayList<>();
                }
                here.add(new Assignment(c, a.poolName(), a.allocatedBytes()));
            }
        }
        return here;
    }

    private static PodRequest remaining(PodRequest pod, NodeState node) {
        List<ClaimRequest> rest = new ArrayList<>();
        for (ClaimRequest c : pod.claims()) {
            if (node.allocation(c.key()) == null) {
                rest.add(c);
            }
        }
        return new PodRequest(pod.podKey(), rest);
    }

    /** A pod with its claims grouped for placement; reuse it across the nodes of one request. */
    public static final class Prepared {
        private final PreparedPod pod;

        private Prepared(PreparedPod pod) {
            this.pod = pod;
        }

        public PodRequest pod() {
            return pod.pod;
        }
    }
}
