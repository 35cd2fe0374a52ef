package io.openlocal.backend.spdk.node;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.export.NvmfExport;
import io.openlocal.backend.spdk.export.Nqn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The node side of an NVMe-oF/TCP export: connects the kernel's initiator with nvme-cli and finds the block
 * device of the exported namespace.
 *
 * <p>{@link #attach} is idempotent: when the subsystem is already connected it only looks the device up.
 * The device is found by the namespace UUID the export set (the lvol's UUID): nvme-cli's
 * {@code list-subsys -o json} gives the subsystem and its controllers for the NQN, and sysfs gives their
 * namespaces ({@code class/nvme-subsystem/<subsys>/nvmeXnY} with native multipath, else
 * {@code class/nvme/<ctrl>/nvmeXnY}) with each namespace's {@code uuid} and {@code nguid}.
 * {@link #detach} runs {@code nvme disconnect} only when the subsystem is connected.
 */
public final class NvmeTcpAttacher {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NAMESPACE = Pattern.compile("nvme[0-9]+n[0-9]+");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final CommandRunner runner;
    private final Path sysfs;
    private final Path dev;
    private final String hostNqn;
    private final Duration deviceWait;

    /**
     * @param sysfs      the sysfs root ({@code /sys}; a fixture tree in tests)
     * @param hostNqn    this node's host NQN (the one the export allows)
     * @param deviceWait how long to wait for the block device after connecting
     */
    public NvmeTcpAttacher(CommandRunner runner, Path sysfs, String hostNqn, Duration deviceWait) {
        this(runner, sysfs, Path.of("/dev"), hostNqn, deviceWait);
    }

    /** @param dev where the namespaces' device nodes are ({@code /dev}) */
    public NvmeTcpAttacher(CommandRunner runner, Path sysfs, Path dev, String hostNqn, Duration deviceWait) {
        this.runner = runner;
        this.sysfs = sysfs;
        this.dev = dev;
        this.hostNqn = Nqn.require("hostNqn", hostNqn);
        this.deviceWait = deviceWait;
    }

    /** The argv that connects this node to an export. */
    public List<String> connectCommand(NvmfExport export) {
        return List.of("nvme", "connect", "--transport=tcp", "--traddr=" + export.address(),
                "--trsvcid=" + export.port(), "--nqn=" + export.nqn(), "--hostnqn=" + hostNqn);
    }

    /** Connects (unless connected) and returns the namespace's block device, such as /dev/nvme1n1. */
    public Path attach(NvmfExport export) {
        validate(export);
        Optional<Path> present = findDevice(export.nqn(), export.namespaceUuid());
        if (present.isPresent()) {
            return present.get();
        }
        if (subsystems().stream().noneMatch(s -> s.nqn().equals(export.nqn()))) {
            ensureInitiator();
            CommandResult result = runner.run(new Command(connectCommand(export), COMMAND_TIMEOUT, Map.of()));
            if (!result.succeeded() && !alreadyConnected(result)) {
                throw new StorageException.Unavailable("cannot connect to NVMe-oF subsystem " + export.nqn() + " at "
                        + export.address() + ":" + export.port() + ": " + result.describe());
            }
        }
        long deadline = System.nanoTime() + deviceWait.toNanos();
        while (true) {
            Optional<Path> device = findDevice(export.nqn(), export.namespaceUuid());
            if (device.isPresent()) {
                return device.get();
            }
            if (System.nanoTime() >= deadline) {
                throw new StorageException.Unavailable("connected to " + export.nqn() + " but no block device with "
                        + "namespace UUID " + export.namespaceUuid() + " appeared within " + deviceWait.toMillis()
                        + " ms");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException.Unavailable("interrupted while waiting for the device of " + export.nqn(), e);
            }
        }
    }

    /**
     * Loads the kernel's NVMe/TCP initiator when it is not there yet ({@code /sys/module/nvme_tcp}): nodes do not
     * load it at boot unless told to, and {@code nvme connect} then fails with a message that does not say why.
     */
    private void ensureInitiator() {
        if (Files.isDirectory(sysfs.resolve("module/nvme_tcp"))) {
            return;
        }
        String why;
        try {
            CommandResult result = runner.run(new Command(List.of("modprobe", "nvme-tcp"), COMMAND_TIMEOUT,
                    Map.of()));
            if (result.succeeded()) {
                return;
            }
            why = result.describe();
        } catch (StorageException.Unavailable e) {
            why = e.getMessage(); // no modprobe here (kmod not installed)
        }
        throw new StorageException.Unavailable("the kernel's NVMe/TCP initiator (module nvme-tcp) is not loaded and "
                + "could not be loaded: " + why + "; load it on the node (modprobe nvme-tcp, or /etc/modules-load.d)"
                + " or give the plugin the host's /lib/modules and kmod");
    }

    private static boolean alreadyConnected(CommandResult result) {
        String err = result.stderr().toLowerCase(Locale.ROOT);
        return err.contains("already connected") || err.contains("operation already in progress");
    }

    /** Disconnects every controller of the subsystem; not connected is success. */
    public void detach(String nqn) {
        Nqn.require("nqn", nqn);
        if (subsystems().stream().noneMatch(s -> s.nqn().equals(nqn))) {
            return;
        }
        CommandResult result = runner.run(new Command(List.of("nvme", "disconnect", "--nqn=" + nqn), COMMAND_TIMEOUT,
                Map.of()));
        if (!result.succeeded()) {
            throw new StorageException.Unavailable("cannot disconnect NVMe-oF subsystem " + nqn + ": "
                    + result.describe());
        }
    }

    /** The subsystems the kernel has connected, from {@code nvme list-subsys -o json}. */
    public List<NvmeSubsystems.Subsystem> subsystems() {
        CommandResult result = runner.run(new Command(List.of("nvme", "list-subsys", "-o", "json"), COMMAND_TIMEOUT,
                Map.of()));
        if (!result.succeeded()) {
            // Without any NVMe subsystem in sysfs, nvme-cli fails to scan the (empty) topology: none connected.
            if (!Files.isDirectory(sysfs.resolve("class/nvme-subsystem"))
                    && result.stderr().contains("Failed to scan topology")) {
                return List.of();
            }
            throw new StorageException.Unavailable("cannot list NVMe subsystems: " + result.describe());
        }
        return NvmeSubsystems.parse(result.stdout());
    }

    /** The block device of namespace {@code namespaceUuid} in subsystem {@code nqn}, if connected. */
    public Optional<Path> findDevice(String nqn, String namespaceUuid) {
        String wanted = namespaceUuid.toLowerCase(Locale.ROOT);
        for (NvmeSubsystems.Subsystem s : subsystems()) {
            if (!s.nqn().equals(nqn)) {
                continue;
            }
            List<Path> dirs = new ArrayList<>();
            dirs.add(sysfs.resolve("class/nvme-subsystem").resolve(s.name()));
            for (NvmeSubsystems.Controller c : s.controllers()) {
                dirs.add(sysfs.resolve("class/nvme").resolve(c.name()));
            }
            for (Path dir : dirs) {
                for (Path ns : namespaces(dir)) {
                    if (wanted.equals(read(ns.resolve("uuid"))) || wanted.equals(read(ns.resolve("nguid")))) {
                        return Optional.of(dev.resolve(ns.getFileName().toString()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> namespaces(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> NAMESPACE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return null;
        }
    }

    private static void validate(NvmfExport export) {
        Nqn.require("nqn", export.nqn());
        String a = export.address();
        if (a == null || !(IPV4.matcher(a).matches() || (a.contains(":") && IPV6.matcher(a).matches()))) {
            throw new StorageException.InvalidArgument("address: '" + a + "' is not an IP address");
        }
        if (export.port() < 1 || export.port() > 65535) {
            throw new StorageException.InvalidArgument("port: " + export.port() + " is outside 1..65535");
        }
        try {
            UUID.fromString(export.namespaceUuid());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StorageException.InvalidArgument("namespace UUID: '" + export.namespaceUuid() + "' is not a UUID");
        }
    }
}
