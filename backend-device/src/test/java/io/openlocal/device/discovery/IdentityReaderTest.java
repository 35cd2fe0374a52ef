package io.openlocal.device.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sources other than loop devices, on a sysfs tree laid out as the kernel does (loops are tested live). */
class IdentityReaderTest {

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void wwidComesFirst(@TempDir Path sys) throws Exception {
        write(sys.resolve("class/block/sdb/device/wwid"), "naa.5000c500a1b2c3d4\n");
        write(sys.resolve("class/block/sdb/device/serial"), "ZA1234\n");
        assertThat(new IdentityReader(sys).read("sdb", 100))
                .isEqualTo(new DeviceIdentity("wwid", "naa.5000c500a1b2c3d4", false));
    }

    @Test
    void nvmeNamespaceWwidSitsBesideTheDevice(@TempDir Path sys) throws Exception {
        write(sys.resolve("class/block/nvme0n1/wwid"), "eui.0025388b91b2c3d4\n");
        assertThat(new IdentityReader(sys).read("nvme0n1", 100).value()).isEqualTo("eui.0025388b91b2c3d4");
    }

    @Test
    void serialWithModelWhenThereIsNoWwid(@TempDir Path sys) throws Exception {
        write(sys.resolve("class/block/sdc/device/serial"), "  ZA1234 \n");
        write(sys.resolve("class/block/sdc/device/model"), "ST4000NM\n");
        write(sys.resolve("class/block/vdb/serial"), "disk-7\n");
        IdentityReader reader = new IdentityReader(sys);
        assertThat(reader.read("sdc", 1)).isEqualTo(new DeviceIdentity("serial", "ST4000NM/ZA1234", false));
        assertThat(reader.read("vdb", 1)).isEqualTo(new DeviceIdentity("serial", "disk-7", false));
    }

    @Test
    void emptySerialFallsThroughToTheWeakNameAndSize(@TempDir Path sys) throws Exception {
        write(sys.resolve("class/block/vda/serial"), "\n");
        write(sys.resolve("class/block/vda/size"), "2048\n");
        IdentityReader reader = new IdentityReader(sys);
        assertThat(reader.read("vda")).isEqualTo(new DeviceIdentity("name", "vda:1048576", true));
    }

    @Test
    void deviceMapperUuid(@TempDir Path sys) throws Exception {
        write(sys.resolve("class/block/dm-0/dm/uuid"), "LVM-abc\n");
        assertThat(new IdentityReader(sys).read("dm-0", 1)).isEqualTo(new DeviceIdentity("dm-uuid", "LVM-abc", false));
    }
}
