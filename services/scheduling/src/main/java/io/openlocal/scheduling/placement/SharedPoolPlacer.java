package io.openlocal.scheduling.placement;

import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.node.SharedPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Places LVM claims on a node's VGs (or SPDK claims on its lvstores) and scores the result.
 *
 * <p>Open-Local v0.8.0's order is kept: claims pinned by {@code vgName} first, then the others in the pod's
 * order, each by the strategy (binpack: least free pool that fits; spread: most free pool). Unlike v0.8.0 every
 * claim sees the space the pod's earlier claims took (v0.8.0's spread did not, so two claims could land on one
 * VG that holds only one of them). When that order fails for two or more unpinned claims, it retries them
 * largest first with binpack, so the filter never rejects a node the claims fit on, and whatever is placed is
 * what the ledger records.
 *
 * <p>Score (as Open-Local): for each pool the pod uses, share = bytes the pod takes / pool capacity; binpack
 * scores the mean share, spread the mean of (1 - share); times 10.
 */
final class SharedPoolPlacer {

    private SharedPoolPlacer() {
    }

    static KindOutcome place(PreparedPod.SharedClaims claims, NodeState node, boolean spdk, Strategy strategy,
                             Detail detail, PreparedPod.Reasons reasons) {
        if (claims.isEmpty()) {
            return KindOutcome.NOTHING;
        }
        List<SharedPool> pools = node.capacity().pools(spdk);
        KindOutcome first = attempt(claims.pinned, claims.unpinned, pools, node, spdk, strategy, strategy, detail,
                reasons);
        if (!first.failed() || claims.unpinned.size() < 2) {
            return first;
        }
        // Pools chosen by binpack, but scored by the configured strategy.
        KindOutcome retry = attempt(claims.pinned, claims.unpinnedLargestFirst, pools, node, spdk, Strategy.BINPACK,
                strategy, detail, reasons);
        return retry.failed() ? first : retry;
    }

    private static KindOutcome attempt(List<ClaimRequest> pinned, List<ClaimRequest> unpinned, List<SharedPool> pools,
                                       NodeState node, boolean spdk, Strategy choice, Strategy scoring,
                                       Detail detail, PreparedPod.Reasons reasons) {
        String label = spdk ? "SPDK lvstore" : "volume group";
        int n = pools.size();
        long[] free = new long[n];
        long[] podUse = new long[n];
        for (int i = 0; i < n; i++) {
            free[i] = pools.get(i).capacityBytes() - node.usedBytes(spdk, i);
        }
        List<Assignment> out = detail.collect ? new ArrayList<>(pinned.size() + unpinned.size()) : List.of();
        for (ClaimRequest c : pinned) {
            int i = indexOf(pools, c.poolName());
            if (i < 0) {
                return KindOutcome.fails(detail, reasons, key(c, PreparedPod.Reasons.POOL_NOT_ALLOWED),
                        () -> "claim " + c.key() + " needs " + label + " " + c.poolName() + ", which the node does not"
                                + " allow", false);
            }
            SharedPool pool = pools.get(i);
            long need = pool.footprint(c.sizeBytes());
            if (need < 0 || free[i] < need) {
                return KindOutcome.fails(detail, reasons, key(c, PreparedPod.Reasons.POOL_FULL),
                        () -> "claim " + c.key() + " needs " + SizeText.of(c.sizeBytes()) + " from " + label + " "
                                + pool.name() + ", which has less free", need >= 0 && need <= pool.capacityBytes());
            }
            free[i] -= need;
            podUse[i] += need;
            if (detail.collect) {
                out.add(new Assignment(c, pool.name(), need));
            }
        }
        for (ClaimRequest c : unpinned) {
            if (n == 0) {
                return KindOutcome.fails(detail, reasons, key(c, PreparedPod.Reasons.NO_POOLS),
                        () -> "claim " + c.key() + " needs a " + label + ", and the node allows none", false);
            }
            int chosen = -1;
            long chosenNeed = 0;
            for (int i = 0; i < n; i++) {
                long need = pools.get(i).footprint(c.sizeBytes());
                if (need < 0 || free[i] < need) {
                    continue;
                }
                boolean better = switch (choice) {
                    case BINPACK -> chosen < 0 || free[i] < free[chosen];
                    case SPREAD -> chosen < 0 || free[i] > free[chosen];
                };
                if (better) {
                    chosen = i;
                    chosenNeed = need;
                }
            }
            if (chosen < 0) {
                boolean everFits = false;
                for (SharedPool p : pools) {
                    long need = p.footprint(c.sizeBytes());
                    everFits |= need >= 0 && need <= p.capacityBytes();
                }
                return KindOutcome.fails(detail, reasons, key(c, PreparedPod.Reasons.NO_ROOM),
                        () -> "claim " + c.key() + " needs " + SizeText.of(c.sizeBytes()) + ", more than any " + label
                                + " of the node has free", everFits);
            }
            free[chosen] -= chosenNeed;
            podUse[chosen] += chosenNeed;
            if (detail.collect) {
                out.add(new Assignment(c, pools.get(chosen).name(), chosenNeed));
            }
        }
        return KindOutcome.fits(out, detail.score ? score(podUse, pools, scoring) : 0, 10);
    }

    /** Open-Local's LVM score: 10 × mean over the pools used of share (binpack) or 1 - share (spread). */
    static double score(long[] podUse, List<SharedPool> pools, Strategy strategy) {
        double sum = 0;
        int used = 0;
        for (int i = 0; i < podUse.length; i++) {
            long capacity = pools.get(i).capacityBytes();
            if (podUse[i] == 0 || capacity <= 0) {
                continue;
            }
            double share = Math.min(1.0, (double) podUse[i] / capacity);
            sum += strategy == Strategy.BINPACK ? share : 1.0 - share;
            used++;
        }
        return used == 0 ? 0 : 10.0 * sum / used;
    }

    private static KindOutcome.ClaimRequestKey key(ClaimRequest claim, int code) {
        return new KindOutcome.ClaimRequestKey(claim, code);
    }

    private static int indexOf(List<SharedPool> pools, String name) {
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
