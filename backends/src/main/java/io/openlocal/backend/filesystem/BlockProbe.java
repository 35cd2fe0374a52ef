package io.openlocal.backend.filesystem;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Says what is on a block device and what uses it. Signatures come from {@code blkid -p} (low-level probing:
 * reads the device itself, never blkid's cache or udev's database, which may be stale or absent in a
 * container); partitions and holders from sysfs; mounts from mountinfo.
 */
public final class BlockProbe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** blkid's exit codes (blkid(8)). */
    private static final int BLKID_NOTHING_FOUND = 2;
    private static final int BLKID_AMBIVALENT = 8;

    private final CommandRunner runner;
    private final Duration timeout;
    private final Path sysfsRoot;
    private final Supplier<MountTable> mounts;

    public BlockProbe(CommandRunner runner) {
        this(runner, DEFAULT_TIMEOUT, Path.of("/sys"), MountTable::read);
    }

    /**
     * @param sysfsRoot where sysfs is mounted ({@code /sys}; a copy of the tree in tests)
     * @param mounts    where the mount table comes from (read fresh on every call)
     */
    public BlockProbe(CommandRunner runner, Duration timeout, Path sysfsRoot, Supplier<MountTable> mounts) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.sysfsRoot = Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
    }

    /** Validates a device path and checks it is a block device now (NotFound / InvalidArgument otherwise). */
    public DeviceNode node(String field, String device) {
        return DeviceNode.of(field, device, sysfsRoot);
    }

    /** The signatures at the start of the device. */
    public BlockContent probe(String device) {
        DeviceNode node = node("device", device);
        return probeNode(node.path());
    }

    /**
     * Probes several devices with one process (discovery passes). Devices must be block devices; the answer
     * has an entry for every one of them, blank where nothing was found.
     */
    public Map<String, BlockContent> probeAll(Collection<String> devices) {
        Map<String, BlockContent> results = new LinkedHashMap<>();
        if (devices.isEmpty()) {
            return results;
        }
        List<String> paths = new ArrayList<>();
        for (String device : devices) {
            paths.add(node("device", device).path());
        }
        List<String> argv = new ArrayList<>(List.of("blkid", "-p", "-o", "export", "--"));
        argv.addAll(paths);
        CommandResult result = run(argv);
        Map<String, Map<String, String>> byDevice = result.exitCode() == 0 || result.exitCode() == BLKID_NOTHING_FOUND
                ? parseExport(result.stdout()) : Map.of();
        boolean clean = (result.exitCode() == 0 || result.exitCode() == BLKID_NOTHING_FOUND)
                && result.stderr().isBlank() && paths.containsAll(byDevice.keySet());
        if (!clean) {
            // An ambivalent or unreadable device spoils the batch (its exit code is the last device's, and a
            // device named differently in the output cannot be matched): find out one by one. Never guess blank.
            for (String path : paths) {
                results.put(path, probeNode(path));
            }
            return results;
        }
        for (String path : paths) {
            Map<String, String> values = byDevice.get(path);
            results.put(path, values == null ? BlockContent.blank(path) : BlockContent.fromValues(path, values));
        }
        return results;
    }

    private BlockContent probeNode(String path) {
        CommandResult result = run(List.of("blkid", "-p", "-o", "export", "--", path));
        return switch (result.exitCode()) {
            case 0 -> {
                // One device asked, so the one block of output is its answer whatever name blkid printed.
                Map<String, Map<String, String>> byDevice = parseExport(result.stdout());
                if (byDevice.size() != 1) {
                    throw new StorageException.Internal("blkid reported " + byDevice.size() + " devices for " + path
                            + ": " + result.stdout().strip());
                }
                yield BlockContent.fromValues(path, byDevice.values().iterator().next());
            }
            case BLKID_NOTHING_FOUND -> BlockContent.blank(path);
            case BLKID_AMBIVALENT -> new BlockContent(path, null, null, null, null, null, true, Map.of());
            default -> throw result.failure();
        };
    }

    /**
     * Parses {@code blkid -o export}: {@code KEY=value} lines, one block per device starting with
     * {@code DEVNAME}, blocks separated by blank lines; blkid puts a backslash before shell-special characters.
     */
    static Map<String, Map<String, String>> parseExport(String text) {
        Map<String, Map<String, String>> byDevice = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                current = null;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new StorageException.Internal("unexpected blkid output line: " + line);
            }
            String key = line.substring(0, eq);
            String value = unescape(line.substring(eq + 1));
            if (key.equals("DEVNAME")) {
                current = new LinkedHashMap<>();
                byDevice.put(value, current);
            } else if (current != null) {
                current.put(key, value);
            } else {
                throw new StorageException.Internal("blkid output has " + key + " before DEVNAME");
            }
        }
        return byDevice;
    }

    private static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Signatures, partitions, holders and mounts of the device: everything {@link DeviceUse#isFree()} needs. */
    public DeviceUse inspect(String device) {
        DeviceNode node = node("device", device);
        return inspect(node, probeNode(node.path()));
    }

    /** As {@link #inspect(String)} with a probe result the caller already has (from {@link #probeAll}). */
    public DeviceUse inspect(DeviceNode node, BlockContent content) {
        List<String> partitions = partitions(node.kernelName());
        List<String> holders = new ArrayList<>(holders(node.kernelName()));
        List<DeviceNumber> numbers = new ArrayList<>(List.of(node.number()));
        for (String partition : partitions) {
            holders.addAll(holders(partition));
            readDeviceNumber(partition).ifPresent(numbers::add);
        }
        MountTable table = mounts.get();
        List<MountEntry> found = new ArrayList<>();
        for (DeviceNumber number : numbers) {
            found.addAll(table.mountsOf(number));
        }
        // A raw block volume is a bind mount of the device node; its mount entry names devtmpfs, not the device.
        for (MountEntry bind : table.mountsShowing(node.realPath())) {
            if (!found.contains(bind)) {
                found.add(bind);
            }
        }
        return new DeviceUse(node, content, partitions, holders, found);
    }

    /** Whether the device, one of its partitions, or its device node is mounted anywhere. */
    public boolean isMounted(String device) {
        DeviceNode node = node("device", device);
        return !inspect(node, BlockContent.blank(node.path())).mounts().isEmpty();
    }

    /** Kernel names of the devices built directly on this one ({@code /sys/class/block/X/holders}). */
    public List<String> holders(String kernelName) {
        return listNames(sysfsRoot.resolve("class/block").resolve(kernelName).resolve("holders"), false);
    }

    /** Kernel names of this device's partitions (subdirectories of its sysfs entry that have a partition file). */
    public List<String> partitions(String kernelName) {
        return listNames(sysfsRoot.resolve("class/block").resolve(kernelName), true);
    }

    private java.util.Optional<DeviceNumber> readDeviceNumber(String kernelName) {
        Path dev = sysfsRoot.resolve("class/block").resolve(kernelName).resolve("dev");
        try {
            return java.util.Optional.of(DeviceNumber.parse(Files.readString(dev).strip()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static List<String> listNames(Path dir, boolean partitionsOnly) {
        try (Stream<Path> children = Files.list(dir)) {
            return children
                    .filter(p -> !partitionsOnly || Files.exists(p.resolve("partition")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private CommandResult run(List<String> argv) {
        return runner.run(new Command(argv, timeout, Map.of()));
    }
}
