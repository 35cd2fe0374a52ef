package io.openlocal.csi.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeIdTest {

    @Test
    void deviceVolumeIdEncodesThePathAndParsesBack() {
        VolumeId id = VolumeId.volume("node-1", new VolumeRef(PoolType.DEVICE, "/dev/sdb", "local-pvc-1"));
        assertThat(id.format()).isEqualTo("ol1:vol:Device:node-1:%2Fdev%2Fsdb:local-pvc-1");
        assertThat(VolumeId.parse(id.format())).contains(id);
        assertThat(VolumeId.parseVolume(id.format())).contains(id);
        assertThat(VolumeId.parseSnapshot(id.format())).isEmpty();
    }

    @Test
    void mountPointAndSnapshotIdsRoundTrip() {
        VolumeId mount = VolumeId.volume("n.example", new VolumeRef(PoolType.MOUNT_POINT, "/mnt/open local/a",
                "local-x"));
        assertThat(VolumeId.parse(mount.format())).contains(mount);
        VolumeId snap = VolumeId.snapshot("n", new VolumeRef(PoolType.LVM, "vg0", "local-snap-s1"));
        assertThat(snap.format()).startsWith("ol1:snap:LVM:n:vg0:");
        assertThat(VolumeId.parseSnapshot(snap.format())).contains(snap);
        assertThat(VolumeId.parseVolume(snap.format())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pvc-1", "ol1:vol:LVM:node:vg0", "ol2:vol:LVM:node:vg0:lv", "ol1:disk:LVM:n:vg:lv",
            "ol1:vol:lvm:n:vg:lv", "ol1:vol:LVM:Node:vg:lv", "ol1:vol:LVM:n:vg%2F..:lv", "ol1:vol:LVM:n:vg:%2Dlv",
            "ol1:vol:Device:n:/dev/sdb:lv", "ol1:vol:Device:n:%2Fetc%2Fpasswd:lv", "ol1:vol:LVM:n:vg:lv:extra",
            "ol1:vol:LVM:n:vg:l%6", "ol1:vol:LVM:n:vg:l%zz", "ol1:vol:LVM:n:v%67:lv",
            "ol1:vol:MountPoint:n:relative:lv", "ol1:vol:LVM:n:vg:lv\n"})
    void malformedIdsNameNoVolume(String text) {
        assertThat(VolumeId.parse(text)).isEmpty();
    }
}
