package io.openlocal.device.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.device.discovery.DeviceIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    private static DeviceClaim claim(String name) {
        return new DeviceClaim(DeviceClaim.VERSION, name, "/dev/sdb", "sdb",
                new DeviceIdentity("wwid", "naa.5000c500a1b2c3d4", false), 1000, 900, "hdd", 1234);
    }

    @Test
    void writtenRecordReadsBackInAFreshStore(@TempDir Path dir) {
        new RecordStore<>(dir, DeviceClaim.class).write("pvc-1", claim("pvc-1"));
        RecordStore<DeviceClaim> reopened = new RecordStore<>(dir, DeviceClaim.class);
        assertThat(reopened.read("pvc-1")).contains(claim("pvc-1"));
        assertThat(reopened.read("pvc-2")).isEmpty();
        assertThat(reopened.all()).containsExactly(claim("pvc-1"));
    }

    @Test
    void overwriteReplacesAndDeleteRemovesAndDeletingAgainIsFine(@TempDir Path dir) {
        RecordStore<DeviceClaim> store = new RecordStore<>(dir, DeviceClaim.class);
        store.write("a", claim("a"));
        DeviceClaim changed = new DeviceClaim(1, "a", "/dev/sdc", "sdc", claim("a").identity(), 1, 1, "ssd", 1);
        store.write("a", changed);
        assertThat(store.read("a")).contains(changed);
        store.delete("a");
        store.delete("a");
        assertThat(store.all()).isEmpty();
    }

    @Test
    void noTemporaryFileIsLeftAndOldCrashLeftoversAreSwept(@TempDir Path dir) throws Exception {
        RecordStore<DeviceClaim> store = new RecordStore<>(dir, DeviceClaim.class);
        store.write("a", claim("a"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json");
        }
        Path old = Files.writeString(dir.resolve(".b.json.tmp-123"), "{half");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - java.time.Duration.ofHours(1).toMillis()));
        Path young = Files.writeString(dir.resolve(".c.json.tmp-456"), "{being written");
        assertThat(new RecordStore<>(dir, DeviceClaim.class).all()).hasSize(1);
        assertThat(old).as("left by a crash").doesNotExist();
        assertThat(young).as("may be another process's write in progress").exists();
    }

    @Test
    void unreadableRecordIsAnErrorNotAnAbsence(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.json"), "{\"volumeName\": ");
        RecordStore<DeviceClaim> store = new RecordStore<>(dir, DeviceClaim.class);
        assertThatThrownBy(() -> store.read("broken")).isInstanceOf(StorageException.Internal.class)
                .hasMessageContaining("broken.json");
        assertThatThrownBy(store::all).isInstanceOf(StorageException.Internal.class);
    }

    @Test
    void keysThatAreNotPlainNamesAreRefused(@TempDir Path dir) {
        RecordStore<DeviceClaim> store = new RecordStore<>(dir, DeviceClaim.class);
        assertThatThrownBy(() -> store.read("../x")).isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> store.write("a/b", claim("x"))).isInstanceOf(StorageException.Internal.class);
    }
}
