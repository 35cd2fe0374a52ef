package io.openlocal.scheduling.placement;

import io.openlocal.backend.pool.MediaType;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pod's claims grouped the way the placers consume them, computed once per request rather than once per
 * node.
 */
final class PreparedPod {

    final PodRequest pod;
    final Reasons reasons = new Reasons();
    final SharedClaims lvm;
    final SharedClaims spdk;
    final ExclusiveClaims devices;
    final ExclusiveClaims mountPoints;

    private PreparedPod(PodRequest pod) {
        this.pod = pod;
        List<ClaimRequest> lvmClaims = new ArrayList<>();
        List<ClaimRequest> spdkClaims = new ArrayList<>();
        List<ClaimRequest> deviceClaims = new ArrayList<>();
        List<ClaimRequest> mountClaims = new ArrayList<>();
        for (ClaimRequest c : pod.claims()) {
            switch (c.kind()) {
                case LVM -> lvmClaims.add(c);
                case SPDK -> spdkClaims.add(c);
                case DEVICE -> deviceClaims.add(c);
                case MOUNT_POINT -> mountClaims.add(c);
            }
        }
        lvm = new SharedClaims(lvmClaims);
        spdk = new SharedClaims(spdkClaims);
        devices = new ExclusiveClaims(deviceClaims);
        mountPoints = new ExclusiveClaims(mountClaims);
    }

    static PreparedPod of(PodRequest pod) {
        return new PreparedPod(pod);
    }

    /**
     * Failure reasons, worded so they do not depend on the node and so built once per request rather than once
     * per node. kube-scheduler folds identical reasons into one line of the pod's event ("998 node(s) ..."); the
     * per-node figures are in {@code GET /cache}.
     */
    static final class Reasons {
        static final int POOL_NOT_ALLOWED = 0;
        static final int POOL_FULL = 1;
        static final int NO_POOLS = 2;
        static final int NO_ROOM = 3;
        static final int TOO_FEW_DISKS = 4;
        static final int NO_DISK_LARGE_ENOUGH = 5;

        private final java.util.HashMap<ClaimRequest, String[]> byClaim = new java.util.HashMap<>();

        String get(ClaimRequest claim, int code, java.util.function.Supplier<String> text) {
            String[] texts = byClaim.computeIfAbsent(claim, c -> new String[6]);
            String reason = texts[code];
            if (reason == null) {
                reason = text.get();
                texts[code] = reason;
            }
            return reason;
        }
    }

    /** LVM or SPDK claims: pinned ones first (declared order), then the rest, also largest first for the retry. */
    static final class SharedClaims {
        final List<ClaimRequest> pinned = new ArrayList<>();
        final List<ClaimRequest> unpinned = new ArrayList<>();
        final List<ClaimRequest> unpinnedLargestFirst;

        SharedClaims(List<ClaimRequest> claims) {
            for (ClaimRequest c : claims) {
                (c.poolName() != null ? pinned : unpinned).add(c);
            }
            unpinnedLargestFirst = new ArrayList<>(unpinned);
            unpinnedLargestFirst.sort(Comparator.comparingLong(ClaimRequest::sizeBytes).reversed());
        }

        boolean isEmpty() {
            return pinned.isEmpty() && unpinned.isEmpty();
        }
    }

    /** Device or MountPoint claims by media (ssd, hdd, any), each group smallest first, as Open-Local sorts. */
    static final class ExclusiveClaims {
        final List<ClaimRequest> ssd = new ArrayList<>();
        final List<ClaimRequest> hdd = new ArrayList<>();
        final List<ClaimRequest> any = new ArrayList<>();

        ExclusiveClaims(List<ClaimRequest> claims) {
            for (ClaimRequest c : claims) {
                if (c.mediaType() == MediaType.SSD) {
                    ssd.add(c);
                } else if (c.mediaType() == MediaType.HDD) {
                    hdd.add(c);
                } else {
                    any.add(c);
                }
            }
            Comparator<ClaimRequest> bySize = Comparator.comparingLong(ClaimRequest::sizeBytes);
            ssd.sort(bySize);
            hdd.sort(bySize);
            any.sort(bySize);
        }

        boolean isEmpty() {
            return ssd.isEmpty() && hdd.isEmpty() && any.isEmpty();
        }
    }
}
