package io.openlocal.csi.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.CowSpace;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.csi.volume.SnapshotParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The expansion policy over an in-memory node (the LVM side, lvextend of a thick snapshot's COW space, is in
 * backend-lvm's RecordedCommandsTest; thick snapshots cannot exist on this build machine, which has no
 * device-mapper).
 */
class SnapshotSpaceKeeperTest {

    private static final long MiB = 1024 * 1024;

    /** Snapshots with COW areas whose use the test sets; grows are recorded. */
    private static final class Node implements SnapshotSpaceKeeper.Snapshots {
        final List<SnapshotRecord> records = new ArrayList<>();
        final Map<VolumeRef, CowSpace> spaces = new HashMap<>();
        final List<String> grown = new ArrayList<>();
        long vgFree = 100 * MiB;

        VolumeRef add(String name, CowSpace space, Map<String, String> parameters) {
            VolumeRef ref = new VolumeRef(PoolType.LVM, "vg", name);
            records.add(new SnapshotRecord("csi-" + name, ref, new VolumeRef(PoolType.LVM, "vg", "origin"), 64 * MiB,
                    0, true, parameters));
            if (space != null) {
                spaces.put(ref, space);
            }
            return ref;
        }

        @Override
        public List<SnapshotRecord> snapshots() {
            return records;
        }

        @Override
        public Optional<CowSpace> cowSpace(VolumeRef snapshot) {
            return Optional.ofNullable(spaces.get(snapshot));
        }

        @Override
        public CowSpace growCowSpace(VolumeRef snapshot, long newSizeBytes) {
            CowSpace now = spaces.get(snapshot);
            long delta = newSizeBytes - now.sizeBytes();
            if (delta > vgFree) {
                throw new StorageException.OutOfCapacity("VG vg has " + vgFree + " bytes free");
            }
            vgFree -= delta;
            CowSpace after = new CowSpace(newSizeBytes, now.usedPercent() * now.sizeBytes() / newSizeBytes);
            spaces.put(snapshot, after);
            grown.add(snapshot.name() + "->" + newSizeBytes / MiB);
            return after;
        }
    }

    private static Map<String, String> expansion(String size, String threshold) {
        Map<String, String> p = new HashMap<>(Map.of(SnapshotParameters.READ_ONLY, "false"));
        if (size != null) {
            p.put(SnapshotParameters.EXPANSION_SIZE, size);
        }
        if (threshold != null) {
            p.put(SnapshotParameters.EXPANSION_THRESHOLD, threshold);
        }
        return p;
    }

    @Test
    void aSnapshotFilledToItsThresholdGrowsByTheExpansionSizeOnce() {
        Node node = new Node();
        VolumeRef full = node.add("full", new CowSpace(20 * MiB, 80.0), expansion(Long.toString(8 * MiB), "75%"));
        node.add("calm", new CowSpace(20 * MiB, 10.0), expansion(Long.toString(8 * MiB), "75%"));
        node.add("no-policy", new CowSpace(20 * MiB, 99.0), expansion(null, null));
        node.add("thin", null, expansion(Long.toString(8 * MiB), "75%")); // no COW space of its own

        SnapshotSpaceKeeper.Pass pass = new SnapshotSpaceKeeper(node).pass();
        assertThat(pass).isEqualTo(new SnapshotSpaceKeeper.Pass(2, 1, 0));
        assertThat(node.grown).containsExactly("full->28");
        assertThat(node.spaces.get(full).sizeBytes()).isEqualTo(28 * MiB);

        // 80% of 20 MiB is 57% of 28 MiB: below the threshold, nothing more until the origin writes more.
        assertThat(new SnapshotSpaceKeeper(node).pass().grown()).isZero();
        node.spaces.put(full, new CowSpace(28 * MiB, 76.0));
        new SnapshotSpaceKeeper(node).pass();
        assertThat(node.grown).containsExactly("full->28", "full->36");
    }

    @Test
    void withoutAThresholdHalfFullIsTheTrigger() {
        Node node = new Node();
        node.add("half", new CowSpace(10 * MiB, 50.0), expansion(Long.toString(4 * MiB), null));
        node.add("less", new CowSpace(10 * MiB, 49.9), expansion(Long.toString(4 * MiB), null));
        new SnapshotSpaceKeeper(node).pass();
        assertThat(node.grown).containsExactly("half->14");
    }

    @Test
    void aVolumeGroupWithoutRoomIsReportedAndRetriedNextPass() {
        Node node = new Node();
        node.vgFree = 2 * MiB;
        node.add("full", new CowSpace(20 * MiB, 90.0), expansion(Long.toString(8 * MiB), "50%"));
        assertThat(new SnapshotSpaceKeeper(node).pass()).isEqualTo(new SnapshotSpaceKeeper.Pass(1, 0, 1));
        node.vgFree = 100 * MiB;
        assertThat(new SnapshotSpaceKeeper(node).pass()).isEqualTo(new SnapshotSpaceKeeper.Pass(1, 1, 0));
    }
}
