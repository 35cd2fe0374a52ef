package io.openlocal.backend.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of BlockProbe that do not need a device: blkid's export format and the sysfs tree. */
class BlockProbeParsingTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("no command expected, got " + command.display());
    };

    @Test
    void exportOutputOfSeveralDevicesIsSplitByDevname() {
        String out = """
                DEVNAME=/dev/loop4
                LABEL=my\\ data\\$
                UUID=7be4ff34-ca37-4001-bd74-6e455d2a468d
                BLOCK_SIZE=512
                TYPE=xfs
                USAGE=filesystem

                DEVNAME=/dev/loop6
                PTTYPE=dos
                """;
        Map<String, Map<String, String>> parsed = BlockProbe.parseExport(out);
        assertThat(parsed).containsOnlyKeys("/dev/loop4", "/dev/loop6");
        BlockContent xfs = BlockContent.fromValues("/dev/loop4", parsed.get("/dev/loop4"));
        assertThat(xfs.type()).contains("xfs");
        assertThat(xfs.label()).contains("my data$");
        assertThat(xfs.usage()).contains("filesystem");
        assertThat(xfs.isBlank()).isFalse();
        BlockContent table = BlockContent.fromValues("/dev/loop6", parsed.get("/dev/loop6"));
        assertThat(table.ptType()).contains("dos");
        assertThat(table.type()).isEmpty();
        assertThat(table.isBlank()).isFalse();
        assertThat(table.describe()).isEqualTo("dos partition table");
    }

    @Test
    void outputWithoutDevnameIsRejected() {
        assertThatThrownBy(() -> BlockProbe.parseExport("TYPE=ext4\n")).isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> BlockProbe.parseExport("garbage\n")).isInstanceOf(StorageException.Internal.class);
    }

    @Test
    void ambivalentAndBlankResultsDescribeThemselves() {
        assertThat(BlockContent.blank("/dev/x").isBlank()).isTrue();
        BlockContent ambivalent = new BlockContent("/dev/x", null, null, null, null, null, true, Map.of());
        assertThat(ambivalent.isBlank()).isFalse();
        assertThat(ambivalent.describe()).contains("conflicting");
    }

    @Test
    void partitionsAndHoldersComeFromSysfs(@TempDir Path sysfs) throws IOException {
        Path sdb = Files.createDirectories(sysfs.resolve("class/block/sdb"));
        Files.createDirectories(sdb.resolve("holders"));
        Files.createFile(sdb.resolve("holders/dm-0"));
        Files.createDirectories(sdb.resolve("sdb1"));
        Files.writeString(sdb.resolve("sdb1/partition"), "1\n");
        Files.createDirectories(sdb.resolve("sdb2"));
        Files.writeString(sdb.resolve("sdb2/partition"), "2\n");
        Files.createDirectories(sdb.resolve("queue"));
        Files.createDirectories(sdb.resolve("power"));
        Path sdb2 = Files.createDirectories(sysfs.resolve("class/block/sdb2/holders"));
        Files.createFile(sdb2.resolve("md0"));

        BlockProbe probe = new BlockProbe(NO_COMMANDS, BlockProbe.DEFAULT_TIMEOUT, sysfs,
                () -> MountTable.parse(""));
        assertThat(probe.partitions("sdb")).containsExactly("sdb1", "sdb2");
        assertThat(probe.holders("sdb")).containsExactly("dm-0");
        assertThat(probe.holders("sdb2")).containsExactly("md0");
        assertThat(probe.holders("sdc")).isEmpty();
        assertThat(probe.partitions("sdc")).isEmpty();
    }

    @Test
    void deviceUseListsEveryReasonADeviceIsNotFree(@TempDir Path sysfs) {
        DeviceNode node = new DeviceNode("/dev/sdb", Path.of("/dev/sdb"), new DeviceNumber(8, 16), "sdb");
        MountEntry mount = MountTable.parse("30 1 8:17 / /data rw - ext4 /dev/sdb1 rw\n").entries().getFirst();
        DeviceUse use = new DeviceUse(node, BlockContent.fromValues("/dev/sdb", Map.of("PTTYPE", "gpt")),
                java.util.List.of("sdb1"), java.util.List.of("dm-0"), java.util.List.of(mount));
        assertThat(use.isFree()).isFalse();
        assertThat(use.isActive()).isTrue();
        assertThat(use.reasons()).containsExactly("holds gpt partition table", "has partitions [sdb1]",
                "is held by [dm-0]", "is mounted at [/data]");
        DeviceUse blank = new DeviceUse(node, BlockContent.blank("/dev/sdb"), java.util.List.of(),
                java.util.List.of(), java.util.List.of());
        assertThat(blank.isFree()).isTrue();
        assertThat(blank.reasons()).isEmpty();
    }
}
