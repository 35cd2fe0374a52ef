package io.openlocal.device.selection;

import io.openlocal.backend.pool.PoolInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Open-Local's rule for exclusive pools (devices and mount points): give a volume the smallest free pool of the
 * requested media type that is large enough, so large disks stay free for large requests. Pure functions over
 * discovered pools; the scheduler and the CSI layer call them.
 */
public final class SmallestFit {

    /** Smallest first; equal sizes by name, so the choice does not depend on discovery order. */
    private static final Comparator<PoolInfo> SMALLEST_FIRST = Comparator
            .comparingLong((PoolInfo p) -> p.capacity().totalBytes())
            .thenComparing(PoolInfo::name);

    private SmallestFit() {
    }

    /** Whether a pool can take this request: free, writable, large enough, of the media type if one is asked. */
    public static boolean fits(PoolInfo pool, DeviceRequest request) {
        return !pool.inUse()
                && !pool.readOnly()
                && pool.capacity().availableBytes() >= request.sizeBytes()
                && request.mediaType().map(m -> m == pool.mediaType()).orElse(true);
    }

    /** The smallest pool that fits, if any. */
    public static Optional<PoolInfo> pick(Collection<PoolInfo> pools, DeviceRequest request) {
        return pools.stream().filter(p -> fits(p, request)).min(SMALLEST_FIRST);
    }

    /**
     * Distinct pools for several requests at once (a pod with several claims), or empty if they do not all fit.
     * Requests are served smallest first, each taking the smallest pool left that fits: with one pool per
     * request and "fits" meaning "at least as large", this finds an assignment whenever one exists for
     * requests of one media type. The answer lists pools in the order of {@code requests}.
     */
    public static Optional<List<PoolInfo>> assign(Collection<PoolInfo> pools, List<DeviceRequest> requests) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        // Requests pinned to a media type first within equal sizes: they have fewer choices.
        order.sort(Comparator.comparingLong((Integer i) -> requests.get(i).sizeBytes())
                .thenComparing(i -> requests.get(i).mediaType().isEmpty()));
        PoolInfo[] chosen = new PoolInfo[requests.size()];
        Set<String> taken = new HashSet<>();
        for (int i : order) {
            Optional<PoolInfo> pool = pools.stream()
                    .filter(p -> !taken.contains(p.name()) && fits(p, requests.get(i)))
                    .min(SMALLEST_FIRST);
            if (pool.isEmpty()) {
                return Optional.empty();
            }
            taken.add(pool.get().name());
            chosen[i] = pool.get();
        }
        return Optional.of(List.of(chosen));
    }
}
