package io.openlocal.scheduling.placement;

import io.openlocal.backend.pool.MediaType;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.node.ExclusiveDisk;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each Device (or MountPoint) claim its own free disk of the claim's media type and at least its size,
 * smallest fitting disk first (Open-Local's rule: claims and disks both sorted by size, ssd claims before hdd).
 * Claims whose class names no media type may take a disk of any media, after the typed claims.
 *
 * <p>Score, per kind: 10 × mean(requested / disk size) as Open-Local's capacity score, plus Open-Local's count
 * score halved, 5 × (claims / free disks of the media asked for); so out of 15. v0.8.0 counted free disks of
 * every media type, and counted them on nodes the claims did not fit on.
 */
final class ExclusiveDiskPlacer {

    private ExclusiveDiskPlacer() {
    }

    static KindOutcome place(PreparedPod.ExclusiveClaims claims, NodeState node, boolean mountPoints,
                             Detail detail, PreparedPod.Reasons reasons) {
        if (claims.isEmpty()) {
            return KindOutcome.NOTHING;
        }
        List<ExclusiveDisk> disks = node.capacity().disks(mountPoints);
        String label = mountPoints ? "mount point" : "device";
        int n = disks.size();
        int[] bySize = node.disksBySize(mountPoints);
        boolean[] taken = new boolean[n];
        for (int i = 0; i < n; i++) {
            taken[i] = node.diskHolder(mountPoints, i) != null;
        }
        List<Assignment> out = detail.collect ? new ArrayList<>() : List.of();
        int claimCount = 0;
        int freeCount = 0;
        double fitSum = 0;
        for (int g = 0; g < 3; g++) {
            List<ClaimRequest> group = g == 0 ? claims.ssd : g == 1 ? claims.hdd : claims.any;
            if (group.isEmpty()) {
                continue;
            }
            MediaType media = g == 0 ? MediaType.SSD : g == 1 ? MediaType.HDD : null;
            String mediaLabel = media == null ? "" : media.label() + " ";
            int[] candidates = new int[n];
            int count = 0;
            int total = 0;
            for (int k = 0; k < n; k++) {
                int i = bySize[k];
                if (media == null || disks.get(i).mediaType() == media) {
                    total++;
                    if (!taken[i]) {
                        candidates[count++] = i;
                    }
                }
            }
            if (count < group.size()) {
                return KindOutcome.fails(detail, reasons, new KindOutcome.ClaimRequestKey(group.getFirst(),
                        PreparedPod.Reasons.TOO_FEW_DISKS), () -> "claims " + keys(group) + " need " + group.size()
                        + " free " + mediaLabel + label + "(s), and the node has fewer", total >= group.size());
            }
            int j = 0;
            for (ClaimRequest c : group) {
                while (j < count && disks.get(candidates[j]).capacityBytes() < c.sizeBytes()) {
                    j++;
                }
                if (j == count) {
                    boolean everFits = false;
                    for (ExclusiveDisk d : disks) {
                        everFits |= (media == null || d.mediaType() == media) && d.capacityBytes() >= c.sizeBytes();
                    }
                    return KindOutcome.fails(detail, reasons, new KindOutcome.ClaimRequestKey(c,
                            PreparedPod.Reasons.NO_DISK_LARGE_ENOUGH), () -> "claim " + c.key() + " needs a free "
                            + mediaLabel + label + " of at least " + SizeText.of(c.sizeBytes()) + ", and none is left",
                            everFits);
                }
                ExclusiveDisk disk = disks.get(candidates[j]);
                taken[candidates[j]] = true;
                if (detail.collect) {
                    out.add(new Assignment(c, disk.name(), disk.capacityBytes()));
                }
                fitSum += (double) c.sizeBytes() / disk.capacityBytes();
                j++;
            }
            claimCount += group.size();
            freeCount += count;
        }
        double fit = fitSum / claimCount;
        double countShare = Math.min(1.0, (double) claimCount / freeCount);
        return KindOutcome.fits(out, 10.0 * fit + 5.0 * countShare, 15);
    }

    private static String keys(List<ClaimRequest> claims) {
        List<String> keys = new ArrayList<>(claims.size());
        for (ClaimRequest c : claims) {
            keys.add(c.key());
        }
        return keys.toString();
    }
}
