package io.openlocal.device.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsblkParserTest {

    /** util-linux 2.38 shape: numbers and booleans, mountpoints arrays with nulls, nested children. */
    private static final String MODERN = """
            {
               "blockdevices": [
                  {"name":"sda", "kname":"sda", "path":"/dev/sda", "maj:min":"8:0", "type":"disk",
                   "size":480103981056, "rota":false, "ro":false, "fstype":null, "pttype":"gpt",
                   "mountpoints":[null], "wwn":"0x5002538e40a1b2c3", "serial":"S3Z1NB0K123456",
                   "children": [
                      {"name":"sda1", "kname":"sda1", "path":"/dev/sda1", "maj:min":"8:1", "type":"part",
                       "size":536870912, "rota":false, "ro":false, "fstype":"vfat", "pttype":"gpt",
                       "mountpoints":["/boot/efi"], "wwn":"0x5002538e40a1b2c3", "serial":null},
                      {"name":"sda2", "kname":"sda2", "path":"/dev/sda2", "maj:min":"8:2", "type":"part",
                       "size":479565012992, "rota":false, "ro":false, "fstype":"LVM2_member", "pttype":"gpt",
                       "mountpoints":[null], "wwn":null, "serial":null,
                       "children": [
                          {"name":"vg-root", "kname":"dm-0", "path":"/dev/mapper/vg-root", "maj:min":"254:0",
                           "type":"lvm", "size":100000000000, "rota":false, "ro":false, "fstype":"ext4",
                           "pttype":null, "mountpoints":["/", "/var/lib/bind"], "wwn":null, "serial":null}
                       ]}
                   ]},
                  {"name":"sdb", "kname":"sdb", "path":"/dev/sdb", "maj:min":"8:16", "type":"disk",
                   "size":4000787030016, "rota":true, "ro":false, "fstype":null, "pttype":null,
                   "mountpoints":[null], "wwn":null, "serial":null, "vendor":"ATA     ", "extra":{"x":[1,2]}}
               ]
            }
            """;

    /** Older util-linux: strings for numbers and flags, a single mountpoint field, no PATH column. */
    private static final String OLD = """
            {"blockdevices": [
               {"name": "vdb", "maj:min": "252:16", "type": "disk", "size": "10737418240", "rota": "1",
                "ro": "0", "fstype": "xfs", "mountpoint": "/data"}
            ]}
            """;

    @Test
    void parsesTopLevelDevicesWithNestedChildren() {
        List<LsblkDevice> devices = LsblkParser.parse(MODERN);
        assertThat(devices).extracting(LsblkDevice::name).containsExactly("sda", "sdb");
        LsblkDevice sda = devices.getFirst();
        assertThat(sda.sizeBytes()).isEqualTo(480103981056L);
        assertThat(sda.rotational()).isFalse();
        assertThat(sda.ptType()).isEqualTo("gpt");
        assertThat(sda.wwn()).isEqualTo("0x5002538e40a1b2c3");
        assertThat(sda.mountpoints()).isEmpty();
        assertThat(sda.isWholeDisk()).isTrue();
        assertThat(sda.children()).extracting(LsblkDevice::name).containsExactly("sda1", "sda2");
        LsblkDevice root = sda.children().get(1).children().getFirst();
        assertThat(root.kernelName()).isEqualTo("dm-0");
        assertThat(root.path()).isEqualTo("/dev/mapper/vg-root");
        assertThat(root.mountpoints()).containsExactly("/", "/var/lib/bind");
        assertThat(root.isWholeDisk()).isFalse();
        assertThat(sda.flatten().map(LsblkDevice::name)).containsExactly("sda", "sda1", "sda2", "vg-root");
    }

    @Test
    void unknownFieldsAreSkippedAndSpinningDiskIsRotational() {
        LsblkDevice sdb = LsblkParser.parse(MODERN).get(1);
        assertThat(sdb.rotational()).isTrue();
        assertThat(sdb.sizeBytes()).isEqualTo(4000787030016L);
        assertThat(sdb.children()).isEmpty();
        assertThat(sdb.fsType()).isNull();
    }

    @Test
    void acceptsOlderShapesWithStringsAndASingleMountpoint() {
        LsblkDevice vdb = LsblkParser.parse(OLD).getFirst();
        assertThat(vdb.sizeBytes()).isEqualTo(10737418240L);
        assertThat(vdb.rotational()).isTrue();
        assertThat(vdb.readOnly()).isFalse();
        assertThat(vdb.kernelName()).isEqualTo("vdb");
        assertThat(vdb.path()).isEqualTo("/dev/vdb");
        assertThat(vdb.mountpoints()).containsExactly("/data");
    }

    @Test
    void emptyListParses() {
        assertThat(LsblkParser.parse("{\"blockdevices\": []}")).isEmpty();
    }

    @Test
    void humanSizesAreRefusedBecauseTheyMeanBytesWereNotAsked() {
        assertThatThrownBy(() -> LsblkParser.parse("{\"blockdevices\":[{\"name\":\"sda\",\"size\":\"1.8T\"}]}"))
                .isInstanceOf(StorageException.Internal.class).hasMessageContaining("--bytes");
    }

    @Test
    void truncatedOrMalformedOutputIsInternal() {
        assertThatThrownBy(() -> LsblkParser.parse("{\"blockdevices\":[{\"name\":\"sda\",\"size\":1"))
                .isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> LsblkParser.parse("[]")).isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> LsblkParser.parse("{\"blockdevices\":[{\"size\":1}]}"))
                .isInstanceOf(StorageException.Internal.class).hasMessageContaining("without a name");
        assertThatThrownBy(() -> LsblkParser.parse("{\"blockdevices\":[{\"name\":\"a\",\"rota\":\"maybe\"}]}"))
                .isInstanceOf(StorageException.Internal.class);
    }
}
