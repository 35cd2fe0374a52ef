package io.openlocal.device.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a block device's {@link DeviceIdentity} from sysfs. */
public final class IdentityReader {

    private final Path sysfsRoot;

    public IdentityReader(Path sysfsRoot) {
        this.sysfsRoot = sysfsRoot;
    }

    public IdentityReader() {
        this(Path.of("/sys"));
    }

    /** The identity of the device with this kernel name and current size. */
    public DeviceIdentity read(String kernelName, long sizeBytes) {
        Path dir = sysfsRoot.resolve("class/block").resolve(kernelName);
        Optional<String> wwid = first(dir.resolve("device/wwid"), dir.resolve("wwid"));
        if (wwid.isPresent()) {
            return new DeviceIdentity("wwid", wwid.get(), false);
        }
        Optional<String> serial = first(dir.resolve("device/serial"), dir.resolve("serial"));
        if (serial.isPresent()) {
            String model = first(dir.resolve("device/model")).map(m -> m + "/").orElse("");
            return new DeviceIdentity("serial", model + serial.get(), false);
        }
        Optional<String> dmUuid = first(dir.resolve("dm/uuid"));
        if (dmUuid.isPresent()) {
            return new DeviceIdentity("dm-uuid", dmUuid.get(), false);
        }
        Optional<String> backing = first(dir.resolve("loop/backing_file"));
        if (backing.isPresent()) {
            String offset = first(dir.resolve("loop/offset")).orElse("0");
            return new DeviceIdentity("loop", backing.get() + "@" + offset + fileKey(backing.get()), false);
        }
        return new DeviceIdentity("name", kernelName + ":" + sizeBytes, true);
    }

    /** The identity of the device with this kernel name, its size read from sysfs (partitions too). */
    public DeviceIdentity read(String kernelName) {
        long sectors = 0;
        try {
            sectors = Long.parseLong(Files.readString(sysfsRoot.resolve("class/block").resolve(kernelName)
                    .resolve("size")).strip());
        } catch (IOException | NumberFormatException e) {
            // Without a size the weak fallback still names the device.
        }
        return read(kernelName, sectors * 512);
    }

    /** dev:inode of the backing file, so a new file at the same path is another disk. */
    private static String fileKey(String backingFile) {
        try {
            Path file = Path.of(backingFile);
            Object dev = Files.getAttribute(file, "unix:dev");
            Object ino = Files.getAttribute(file, "unix:ino");
            return "#" + dev + ":" + ino;
        } catch (IOException | RuntimeException e) {
            // Deleted or unreachable backing file: the path and offset alone, which is then unlike any file now.
            return "#gone";
        }
    }

    private static Optional<String> first(Path... files) {
        for (Path file : files) {
            try {
                String value = Files.readString(file).strip();
                if (!value.isEmpty()) {
                    return Optional.of(value);
                }
            } catch (IOException e) {
                // Absent for this kind of device: try the next source.
            }
        }
        return Optional.empty();
    }
}
