package io.openlocal.bench.scheduling;

import io.openlocal.backend.pool.MediaType;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarks' cluster: {@code n} nodes, each with two VGs (a few hundred GiB) and one or two devices, about
 * a third of them partly used by earlier promises; and the pod the brief measures: two LVM claims.
 */
public final class SyntheticCluster {

    public static final long GI = 1L << 30;
    public static final String DRIVER = "local.csi.aliyun.com";

    private SyntheticCluster() {
    }

    public static List<String> nodeNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(String.format("node-%04d", i));
        }
        return names;
    }

    /** Fills the ledger with {@code n} nodes and some earlier promises. */
    public static void fill(AllocationLedger ledger, int n) {
        Random random = new Random(2024);
        List<String> names = nodeNames(n);
        for (String name : names) {
            List<ExclusiveDisk> devices = new ArrayList<>();
            for (int d = 0; d < 1 + random.nextInt(2); d++) {
                devices.add(new ExclusiveDisk("/dev/sd" + (char) ('b' + d), (200 + random.nextInt(800)) * GI,
                        random.nextBoolean() ? MediaType.SSD : MediaType.HDD));
            }
            ledger.putCapacity(new NodeCapacity(name, List.of(new SharedPool("vg0", (100 + random.nextInt(400)) * GI),
                    new SharedPool("vg1", (50 + random.nextInt(200)) * GI)), List.of(), devices, List.of()));
        }
        for (int i = 0; i < n / 3; i++) {
            String node = names.get(random.nextInt(n));
            ClaimRequest earlier = new ClaimRequest("earlier/claim-" + i, VolumeKind.LVM, (5 + random.nextInt(40)) * GI,
                    null, null);
            try {
                ledger.reserve(new PodRequest("earlier/pod-" + i, List.of(earlier)), node, 3_600_000);
            } catch (RuntimeException full) {
                // that node had no room left: fine
            }
        }
    }

    /** The measured pod: two pending LVM claims, 20 GiB and 30 GiB. */
    public static PodRequest twoLvmClaims() {
        return new PodRequest("bench/web-0", List.of(
                new ClaimRequest("bench/data", VolumeKind.LVM, 20 * GI, null, null),
                new ClaimRequest("bench/logs", VolumeKind.LVM, 30 * GI, null, null)));
    }

    /** The same two claims as the extender's catalog knows them (for the HTTP run). */
    public static void fillCatalog(ClaimCatalog catalog) {
        catalog.putClass(ClassRecord.of("open-local-lvm", DRIVER, false, DRIVER, Map.of("volumeType", "LVM")));
        catalog.putClaim(new ClaimRecord("bench/data", "open-local-lvm", 20 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("bench/logs", "open-local-lvm", 30 * GI, false, ""));
    }
}
