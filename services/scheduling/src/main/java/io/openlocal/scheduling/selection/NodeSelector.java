package io.openlocal.scheduling.selection;

import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.placement.Detail;
import io.openlocal.scheduling.placement.PlacementResult;
import io.openlocal.scheduling.placement.Placer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler extender's two questions, over plain records: which of these nodes can take the pod's claims
 * (filter), and how good each is (prioritize). Work is one placement per node asked about, reading the ledger's
 * published node states without locks.
 *
 * <p>Each node is judged on its own: a node without a NodeLocalStorage, or one that fails, fails alone (v0.8.0
 * failed every node of the request when one node's check raised an error).
 */
public final class NodeSelector {

    private final AllocationLedger ledger;
    private final Placer placer;

    public NodeSelector(AllocationLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.placer = ledger.placer();
    }

    public AllocationLedger ledger() {
        return ledger;
    }

    /** Which of {@code nodeNames} the pod's pending claims fit on. A pod with no claims of ours passes all. */
    public FilterOutcome filter(PodRequest pod, List<String> nodeNames) {
        if (pod.isEmpty()) {
            return new FilterOutcome(nodeNames, Map.of(), Map.of());
        }
        List<String> passed = new ArrayList<>(nodeNames.size());
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> unresolvable = new LinkedHashMap<>();
        String pinReason = null;
        String elsewhere = null;
        String pinnedTo = promisedNode(pod);
        if (pinnedTo != null && pinnedTo.isEmpty()) {
            pinReason = "the pod's claims are already promised to different nodes: " + owners(pod);
        } else if (pinnedTo != null) {
            elsewhere = "the pod's claims are already promised to node " + pinnedTo + ": " + owners(pod);
        }
        Placer.Prepared prepared = placer.prepare(pod);
        for (String name : nodeNames) {
            if (pinReason != null) {
                unresolvable.put(name, pinReason);
                continue;
            }
            if (pinnedTo != null && !pinnedTo.equals(name)) {
                unresolvable.put(name, elsewhere);
                continue;
            }
            NodeState state = ledger.state(name);
            if (state == null) {
                unresolvable.put(name, "node " + name + " has no NodeLocalStorage");
                continue;
            }
            PlacementResult result = placer.place(prepared, state, Detail.REASONS);
            if (result instanceof PlacementResult.DoesNotFit miss) {
                (miss.resolvable() ? failed : unresolvable).put(name, miss.reason());
            } else {
                passed.add(name);
            }
        }
        return new FilterOutcome(passed, failed, unresolvable);
    }

    /**
     * Scores 0..10 for each of {@code nodeNames}, in order: 0 where the claims do not fit, 0 everywhere for a pod
     * with no claims of ours.
     */
    public long[] prioritize(PodRequest pod, List<String> nodeNames) {
        long[] scores = new long[nodeNames.size()];
        if (pod.isEmpty()) {
            return scores;
        }
        String pinnedTo = promisedNode(pod);
        Placer.Prepared prepared = placer.prepare(pod);
        for (int i = 0; i < scores.length; i++) {
            String name = nodeNames.get(i);
            if (pinnedTo != null && !pinnedTo.equals(name)) {
                continue;
            }
            NodeState state = ledger.state(name);
            if (state == null) {
                continue;
            }
            if (placer.place(prepared, state, Detail.SCORE) instanceof PlacementResult.Fits fits) {
                scores[i] = Placer.extenderScore(fits.score());
            }
        }
        return scores;
    }

    /**
     * The node the pod's claims are already promised to: null if none is, "" if they are on different nodes.
     */
    private String promisedNode(PodRequest pod) {
        String node = null;
        for (ClaimRequest c : pod.claims()) {
            String owner = ledger.ownerOf(c.key());
            if (owner == null) {
                continue;
            }
            if (node == null) {
                node = owner;
            } else if (!node.equals(owner)) {
                return "";
            }
        }
        return node;
    }

    private String owners(PodRequest pod) {
        StringBuilder sb = new StringBuilder();
        for (ClaimRequest c : pod.claims()) {
            String owner = ledger.ownerOf(c.key());
            if (owner != null) {
                sb.append(sb.isEmpty() ? "" : ", ").append(c.key()).append(" -> ").append(owner);
            }
        }
        return sb.toString();
    }
}
