package io.openlocal.device.discovery;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.filesystem.BlockContent;
import io.openlocal.backend.filesystem.BlockProbe;
import io.openlocal.backend.filesystem.DeviceNode;
import io.openlocal.backend.filesystem.DeviceUse;
import io.openlocal.backend.filesystem.MountTable;
import io.openlocal.backend.naming.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the node's whole block devices. One pass costs one {@code lsblk} (structure, sizes, flags), one
 * {@code blkid -p} for all wanted devices (signatures; lsblk's own FSTYPE comes from udev's database, which a
 * container may not have), sysfs reads (partitions, holders, identity) and one read of mountinfo.
 */
public final class DeviceDiscovery {

    /** The columns read; {@link LsblkParser} knows each. */
    public static final String COLUMNS = "NAME,KNAME,PATH,MAJ:MIN,TYPE,SIZE,ROTA,RO,FSTYPE,PTTYPE,MOUNTPOINTS,WWN,SERIAL";

    /** lsblk's exit code when none of the devices named exists. */
    private static final int LSBLK_NOT_FOUND = 32;

    private final CommandRunner runner;
    private final Duration timeout;
    private final Path sysfsRoot;
    private final IdentityReader identities;

    public DeviceDiscovery(CommandRunner runner, Duration timeout, Path sysfsRoot) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.sysfsRoot = Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        this.identities = new IdentityReader(sysfsRoot);
    }

    public DeviceDiscovery(CommandRunner runner, Duration timeout) {
        this(runner, timeout, Path.of("/sys"));
    }

    /**
     * Every whole disk and loop device of non-zero size for which {@code wanted} is true (the rest are not
     * probed at all).
     */
    public List<DiscoveredDevice> scan(Predicate<LsblkDevice> wanted) {
        List<LsblkDevice> top = lsblk(List.of());
        List<LsblkDevice> chosen = top.stream()
                .filter(d -> d.isWholeDisk() && d.sizeBytes() > 0)
                .filter(wanted)
                .toList();
        return complete(chosen);
    }

    /**
     * The whole device at this path, as a scan would report it.
     *
     * @throws StorageException.NotFound        no block device is there
     * @throws StorageException.InvalidArgument the path is malformed or names a partition, LV or other
     *                                          device that is not a whole disk
     */
    public DiscoveredDevice find(String field, String path) {
        Names.requireDevicePath(field, path);
        DeviceNode node = DeviceNode.of(field, path, sysfsRoot);
        List<LsblkDevice> found = lsblk(List.of(node.path()));
        if (found.size() != 1) {
            throw new StorageException.NotFound(field + ": device '" + path + "' is not known to lsblk");
        }
        LsblkDevice device = found.getFirst();
        if (!device.isWholeDisk()) {
            throw new StorageException.InvalidArgument(field + ": '" + path + "' is a " + device.type()
                    + ", not a whole disk");
        }
        return complete(List.of(device)).getFirst();
    }

    private List<DiscoveredDevice> complete(List<LsblkDevice> devices) {
        List<DeviceNode> nodes = new ArrayList<>();
        List<LsblkDevice> kept = new ArrayList<>();
        for (LsblkDevice device : devices) {
            try {
                nodes.add(DeviceNode.of("device", device.path(), sysfsRoot));
                kept.add(device);
            } catch (StorageException.NotFound | StorageException.InvalidArgument e) {
                // lsblk reads sysfs; a device without a usable node in this /dev cannot be used here.
            }
        }
        MountTable mounts = MountTable.read();
        BlockProbe probe = new BlockProbe(runner, timeout, sysfsRoot, () -> mounts);
        Map<String, BlockContent> contents = probe.probeAll(nodes.stream().map(DeviceNode::path).toList());
        List<DiscoveredDevice> result = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            LsblkDevice device = kept.get(i);
            DeviceNode node = nodes.get(i);
            DeviceUse use = probe.inspect(node, contents.get(node.path()));
            result.add(new DiscoveredDevice(device, use, identities.read(node.kernelName(), device.sizeBytes()),
                    hints(device, use.content())));
        }
        return result;
    }

    /** Signatures udev saw on the device or its children that the probe of the device itself did not. */
    private static List<String> hints(LsblkDevice device, BlockContent content) {
        List<String> hints = new ArrayList<>();
        if (device.fsType() != null && content.type().isEmpty()) {
            hints.add(device.fsType() + " signature");
        }
        if (device.ptType() != null && content.ptType().isEmpty()) {
            hints.add(device.ptType() + " partition table");
        }
        return hints;
    }

    /**
     * The whole disk that carries {@code identity} now, wherever it is (a claimed disk renamed by a reboot).
     * Identities are read from sysfs for every disk; only the one found is probed.
     */
    public Optional<DiscoveredDevice> locate(DeviceIdentity identity) {
        for (LsblkDevice device : lsblk(List.of())) {
            if (device.isWholeDisk() && identities.read(device.kernelName(), device.sizeBytes()).equals(identity)) {
                return Optional.of(find("device", device.path()));
            }
        }
        return Optional.empty();
    }

    private List<LsblkDevice> lsblk(List<String> devices) {
        List<String> argv = new ArrayList<>(List.of("lsblk", "--json", "--bytes", "--output", COLUMNS));
        if (!devices.isEmpty()) {
            argv.add("--");
            argv.addAll(devices);
        }
        CommandResult result = runner.run(new Command(argv, timeout, Map.of()));
        if (result.exitCode() == LSBLK_NOT_FOUND) {
            return List.of();
        }
        return LsblkParser.parse(result.orThrow().stdout());
    }
}
