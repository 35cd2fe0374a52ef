package io.openlocal.testinfra.spdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices the emulated target can open: device paths a test maps to files (so a path such as
 * {@code /dev/loop1} behaves as a 512-byte-sector block device without root), NVMe controllers at PCI
 * addresses backed by files, and real paths (regular files, and block devices with their sysfs geometry).
 */
final class SimulatedDevices {

    private final Map<String, Path> blockDevices = new ConcurrentHashMap<>();
    private final Map<String, Path> nvmeControllers = new ConcurrentHashMap<>();

    void addBlockDevice(String devicePath, Path backingFile) {
        blockDevices.put(devicePath, backingFile);
    }

    void addNvmeController(String pciAddress, Path backingFile) {
        nvmeControllers.put(pciAddress, backingFile);
    }

    /** What bdev_aio_create would open at {@code filename}, or null when there is nothing (ENOENT). */
    BackingStore openPath(String filename) {
        Path simulated = blockDevices.get(filename);
        if (simulated != null) {
            return Files.exists(simulated) ? new BackingStore(simulated, 512, true) : null;
        }
        Path path = Path.of(filename);
        if (Files.isRegularFile(path)) {
            return new BackingStore(path, 0, false);
        }
        if (Files.exists(path) && filename.startsWith("/dev/")) {
            Path sysfs = Path.of("/sys/class/block", path.getFileName().toString());
            try {
                int blockSize = Integer.parseInt(Files.readString(sysfs.resolve("queue/logical_block_size")).strip());
                return new BackingStore(path, blockSize, true, sysfs.resolve("size"));
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The namespace store of a controller at a PCI address, or null when no device is there. */
    BackingStore openNvme(String pciAddress) {
        Path file = nvmeControllers.get(pciAddress);
        return file != null && Files.exists(file) ? new BackingStore(file, 512, true) : null;
    }
}
