package io.openlocal.scheduling.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.MediaType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageClassParametersTest {

    @Test
    void openLocalDefaultLvmClassParsesWithExt4Default() {
        StorageClassParameters p = StorageClassParameters.parse(Map.of("volumeType", "LVM"));
        assertThat(p.volumeKind()).isEqualTo(VolumeKind.LVM);
        assertThat(p.vgName()).isNull();
        assertThat(p.mediaType()).isNull();
        assertThat(p.fsType()).isEqualTo(FileSystemType.EXT4);
        assertThat(p.iops()).isNull();
        assertThat(p.bpsBytes()).isNull();
    }

    @Test
    void throttledXfsLvmClassPinnedToAVolumeGroupParsesEveryKey() {
        StorageClassParameters p = StorageClassParameters.parse(Map.of("volumeType", "LVM", "vgName", "open-local-pool-0",
                "csi.storage.k8s.io/fstype", "xfs", "iops", "1000", "bps", "1Mi"));
        assertThat(p.vgName()).isEqualTo("open-local-pool-0");
        assertThat(p.fsType()).isEqualTo(FileSystemType.XFS);
        assertThat(p.iops()).isEqualTo(1000L);
        assertThat(p.bpsBytes()).isEqualTo(1L << 20);
    }

    @Test
    void plainByteCountIsAcceptedForBps() {
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "LVM", "bps", "102400")).bpsBytes())
                .isEqualTo(102400L);
    }

    @Test
    void deviceClassWithMediaTypeParses() {
        StorageClassParameters p = StorageClassParameters.parse(Map.of("volumeType", "Device", "mediaType", "hdd"));
        assertThat(p.volumeKind()).isEqualTo(VolumeKind.DEVICE);
        assertThat(p.mediaType()).isEqualTo(MediaType.HDD);
    }

    @Test
    void mountPointClassWithoutMediaTypeMeansAnyMedia() {
        StorageClassParameters p = StorageClassParameters.parse(Map.of("volumeType", "MountPoint"));
        assertThat(p.volumeKind()).isEqualTo(VolumeKind.MOUNT_POINT);
        assertThat(p.mediaType()).isNull();
    }

    @Test
    void emptyVgNameLetsTheSchedulerPick() {
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "LVM", "vgName", "")).vgName()).isNull();
    }

    @Test
    void spdkVolumeTypeAndOpenLocalsSpdkSwitchBothGiveSpdkClaims() {
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "SPDK")).volumeKind()).isEqualTo(VolumeKind.SPDK);
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "LVM", "spdk", "true")).volumeKind())
                .isEqualTo(VolumeKind.SPDK);
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "LVM", "spdk", "false")).volumeKind())
                .isEqualTo(VolumeKind.LVM);
    }

    @Test
    void sidecarKeysAreIgnored() {
        Map<String, String> p = Map.of("volumeType", "LVM",
                "csi.storage.k8s.io/provisioner-secret-name", "s", "csi.storage.k8s.io/provisioner-secret-namespace", "ns");
        assertThat(StorageClassParameters.parse(p).volumeKind()).isEqualTo(VolumeKind.LVM);
    }

    @Test
    void volumeTypeIsCaseSensitive() {
        assertRejected(Map.of("volumeType", "lvm"), "'volumeType'", "'lvm' is not one of LVM, Device, MountPoint, SPDK");
        assertRejected(Map.of("volumeType", "device"), "'volumeType'", "case-sensitive");
    }

    @Test
    void missingVolumeTypeIsRejectedNamingTheKey() {
        assertRejected(Map.of("mediaType", "ssd"), "'volumeType'", "is required");
        assertRejected(Map.of(), "'volumeType'", "is required");
    }

    @Test
    void unknownKeyIsRejectedNamingIt() {
        assertRejected(Map.of("volumeType", "LVM", "vgname", "x"), "'vgname'", "is not a known parameter");
    }

    @Test
    void mediaTypeMustBeHddOrSsdAndOnlyForExclusiveKinds() {
        assertRejected(Map.of("volumeType", "Device", "mediaType", "SSD"), "'mediaType'", "is not hdd or ssd");
        assertRejected(Map.of("volumeType", "Device", "mediaType", "nvme"), "'mediaType'", "is not hdd or ssd");
        assertRejected(Map.of("volumeType", "LVM", "mediaType", "ssd"), "'mediaType'", "applies only to volumeType Device");
    }

    @Test
    void ioLimitsNeedABlockDeviceOfTheVolumesOwn() {
        assertRejected(Map.of("volumeType", "MountPoint", "iops", "100"), "'iops'", "not MountPoint");
        assertRejected(Map.of("volumeType", "MountPoint", "bps", "1Mi"), "'bps'", "not MountPoint");
        assertThat(StorageClassParameters.parse(Map.of("volumeType", "Device", "iops", "100")).iops()).isEqualTo(100L);
    }

    @Test
    void vgNameOnlyForPoolKindsAndMustBeASafeName() {
        assertRejected(Map.of("volumeType", "Device", "vgName", "vg0"), "'vgName'", "applies only to volumeType LVM");
        assertRejected(Map.of("volumeType", "LVM", "vgName", "-vg"), "'vgName'", "may contain only");
        assertRejected(Map.of("volumeType", "LVM", "vgName", "vg/../x"), "'vgName'", "may contain only");
    }

    @Test
    void fsTypeMustBeASupportedFilesystem() {
        assertRejected(Map.of("volumeType", "LVM", "csi.storage.k8s.io/fstype", "btrfs"), "'csi.storage.k8s.io/fstype'",
                "'btrfs' is not one of [ext2, ext3, ext4, xfs]");
        assertRejected(Map.of("volumeType", "LVM", "csi.storage.k8s.io/fstype", "XFS"), "fstype", "case-sensitive");
    }

    @Test
    void iopsMustBeAPositiveWholeNumber() {
        assertRejected(Map.of("volumeType", "LVM", "iops", "1.5"), "'iops'", "not a positive whole number");
        assertRejected(Map.of("volumeType", "LVM", "iops", "-3"), "'iops'", "not a positive whole number");
        assertRejected(Map.of("volumeType", "LVM", "iops", "0"), "'iops'", "must be a positive");
    }

    @Test
    void bpsMustBeAPositiveQuantity() {
        assertRejected(Map.of("volumeType", "LVM", "bps", "fast"), "'bps'", "is not a quantity");
        assertRejected(Map.of("volumeType", "LVM", "bps", "-1Mi"), "'bps'", "is not a quantity");
        assertRejected(Map.of("volumeType", "LVM", "bps", "0"), "'bps'", "must be positive");
    }

    @Test
    void spdkSwitchMustBeABooleanAndAgreeWithTheVolumeType() {
        assertRejected(Map.of("volumeType", "LVM", "spdk", "yes"), "'spdk'", "not true or false");
        assertRejected(Map.of("volumeType", "Device", "spdk", "true"), "'spdk'", "applies only to volumeType LVM");
        assertRejected(Map.of("volumeType", "SPDK", "spdk", "false"), "'spdk'", "contradicts");
    }

    @Test
    void nullParameterMapMeansNoParameters() {
        assertThatThrownBy(() -> StorageClassParameters.parse(null)).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("'volumeType'");
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("volumeType", null);
        assertThatThrownBy(() -> StorageClassParameters.parse(withNullValue))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("is required");
    }

    private static void assertRejected(Map<String, String> parameters, String key, String problem) {
        assertThatThrownBy(() -> StorageClassParameters.parse(parameters))
                .isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("StorageClass parameter " + (key.startsWith("'") ? key : ""))
                .hasMessageContaining(key)
                .hasMessageContaining(problem);
    }
}
