package io.openlocal.scheduling;

import io.openlocal.backend.pool.MediaType;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.placement.Strategy;
import java.util.ArrayList;
import java.util.List;

/** Small builders for scenario tests. */
public final class Fixtures {

    public static final long GI = 1L << 30;

    private Fixtures() {
    }

    public static NodeBuilder node(String name) {
        return new NodeBuilder(name);
    }

    public static ClaimRequest lvm(String key, long gib) {
        return new ClaimRequest(key, VolumeKind.LVM, gib * GI, null, null);
    }

    public static ClaimRequest lvmOn(String key, long gib, String vg) {
        return new ClaimRequest(key, VolumeKind.LVM, gib * GI, vg, null);
    }

    public static ClaimRequest device(String key, long gib, MediaType media) {
        return new ClaimRequest(key, VolumeKind.DEVICE, gib * GI, null, media);
    }

    public static ClaimRequest mountPoint(String key, long gib, MediaType media) {
        return new ClaimRequest(key, VolumeKind.MOUNT_POINT, gib * GI, null, media);
    }

    public static ClaimRequest spdk(String key, long gib) {
        return new ClaimRequest(key, VolumeKind.SPDK, gib * GI, null, null);
    }

    public static PodRequest pod(String key, ClaimRequest... claims) {
        return new PodRequest(key, List.of(claims));
    }

    public static AllocationLedger ledger(Strategy strategy, NodeCapacity... nodes) {
        AllocationLedger ledger = new AllocationLedger(new Placer(strategy));
        for (NodeCapacity n : nodes) {
            ledger.putCapacity(n);
        }
        return ledger;
    }

    /** Builds a NodeCapacity. */
    public static final class NodeBuilder {
        private final String name;
        private final List<SharedPool> vgs = new ArrayList<>();
        private final List<SharedPool> spdk = new ArrayList<>();
        private final List<ExclusiveDisk> devices = new ArrayList<>();
        private final List<ExclusiveDisk> mounts = new ArrayList<>();

        NodeBuilder(String name) {
            this.name = name;
        }

        public NodeBuilder vg(String vg, long gib) {
            vgs.add(new SharedPool(vg, gib * GI));
            return this;
        }

        public NodeBuilder vgBytes(String vg, long bytes) {
            vgs.add(new SharedPool(vg, bytes));
            return this;
        }

        public NodeBuilder lvstore(String store, long gib, long clusterBytes) {
            spdk.add(new SharedPool(store, gib * GI, clusterBytes));
            return this;
        }

        public NodeBuilder device(String path, long gib, MediaType media) {
            devices.add(new ExclusiveDisk(path, gib * GI, media));
            return this;
        }

        public NodeBuilder mountPoint(String path, long gib, MediaType media) {
            mounts.add(new ExclusiveDisk(path, gib * GI, media));
            return this;
        }

        public NodeCapacity build() {
            return new NodeCapacity(name, vgs, spdk, devices, mounts);
        }
    }
}
