package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stands in for the kernel's NVMe/TCP initiator, as nvme-cli drives it, on machines that have none (this one
 * has no nvme-tcp module). It answers {@code modprobe nvme-tcp}, {@code nvme connect}, {@code nvme disconnect} and
 * {@code nvme list-subsys -o json}; every other command goes to the real runner.
 *
 * <p>A connect asks the emulated target whether it would admit this host at that address (the checks the target
 * makes: subsystem, TCP listener, allowed host), then lays out sysfs as the kernel does
 * ({@code class/nvme-subsystem/nvme-subsysN/nvmeNnM/uuid}) and makes the namespace's device node in the device
 * directory: a block device node with the major:minor of a real block device the test supplies (a loop
 * device), so mkfs and mount work on it. The gap, named: I/O through that node goes to the loop device, not to
 * the emulated lvol.
 */
public final class NvmeInitiatorDouble implements CommandRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Connection(String nqn, int index, String address, List<String> namespaces) {
    }

    private final CommandRunner real;
    private final SpdkTargetEmulator target;
    private final Path sysfs;
    private final Path dev;
    private final Function<SpdkTargetEmulator.ReachableNamespace, String> backingDevice;
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final List<List<String>> nvmeCalls = new ArrayList<>();
    private int nextIndex;

    /**
     * @param backingDevice the real block device (such as /dev/loop3) that stands for a namespace's device
     */
    public NvmeInitiatorDouble(CommandRunner real, SpdkTargetEmulator target, Path sysfs, Path dev,
                               Function<SpdkTargetEmulator.ReachableNamespace, String> backingDevice) {
        this.real = real;
        this.target = target;
        this.sysfs = sysfs;
        this.dev = dev;
        this.backingDevice = backingDevice;
    }

    /** The nvme-cli commands run so far, in order. */
    public synchronized List<List<String>> nvmeCalls() {
        return List.copyOf(nvmeCalls);
    }

    /** The NQNs connected now. */
    public synchronized List<String> connected() {
        return List.copyOf(connections.keySet());
    }

    /** Drops a connection as a dead link would: the device node and its sysfs entries vanish. */
    public synchronized void loseConnection(String nqn) {
        Connection c = connections.remove(nqn);
        if (c != null) {
            remove(c);
        }
    }

    @Override
    public synchronized CommandResult run(Command command) {
        List<String> argv = command.argv();
        if (argv.equals(List.of("modprobe", "nvme-tcp"))) {
            // Loading the initiator: the kernel lists the module in sysfs.
            nvmeCalls.add(argv);
            try {
                Files.createDirectories(sysfs.resolve("module/nvme_tcp"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandResult(command, 0, "", "", 0);
        }
        if (argv.isEmpty() || !argv.get(0).equals("nvme")) {
            return real.run(command);
        }
        nvmeCalls.add(argv);
        String verb = argv.size() > 1 ? argv.get(1) : "";
        Map<String, String> options = options(argv);
        return switch (verb) {
            case "connect" -> connect(command, options);
            case "disconnect" -> disconnect(command, options);
            case "list-subsys" -> listSubsystems(command);
            default -> new CommandResult(command, 1, "", "nvme " + verb + ": not emulated", 0);
        };
    }

    private CommandResult connect(Command command, Map<String, String> o) {
        String nqn = o.get("nqn");
        if (!"tcp".equals(o.get("transport")) || nqn == null) {
            return new CommandResult(command, 22, "", "required argument [--nqn | -n] or transport missing", 0);
        }
        if (connections.containsKey(nqn)) {
            return new CommandResult(command, 114, "", "Failed to write to /dev/nvme-fabrics: "
                    + "Operation already in progress", 0);
        }
        Optional<List<SpdkTargetEmulator.ReachableNamespace>> namespaces = target.connectNvmfTcp(nqn,
                o.get("traddr"), o.get("trsvcid"), o.get("hostnqn"));
        if (namespaces.isEmpty()) {
            return new CommandResult(command, 1, "", "Failed to write to /dev/nvme-fabrics: Input/output error", 0);
        }
        int index = nextIndex++;
        List<String> names = new ArrayList<>();
        try {
            Path subsystem = Files.createDirectories(sysfs.resolve("class/nvme-subsystem/nvme-subsys" + index));
            for (SpdkTargetEmulator.ReachableNamespace ns : namespaces.get()) {
                String name = "nvme" + index + "n" + ns.nsid();
                Path dir = Files.createDirectories(subsystem.resolve(name));
                Files.writeString(dir.resolve("uuid"), ns.uuid() + "\n");
                String backing = backingDevice.apply(ns);
                String majorMinor = Files.readString(Path.of("/sys/class/block")
                        .resolve(Path.of(backing).getFileName()).resolve("dev")).strip();
                String[] mm = majorMinor.split(":");
                real.run(Command.of("mknod", dev.resolve(name).toString(), "b", mm[0], mm[1])).orThrow();
                names.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connections.put(nqn, new Connection(nqn, index, "traddr=" + o.get("traddr") + ",trsvcid="
                + o.get("trsvcid"), names));
        return new CommandResult(command, 0, "", "", 0);
    }

    private CommandResult disconnect(Command command, Map<String, String> o) {
        String nqn = o.get("nqn");
        Connection c = nqn == null ? null : connections.remove(nqn);
        if (c != null) {
            remove(c);
        }
        return new CommandResult(command, 0, "NQN:" + nqn + " disconnected " + (c == null ? 0 : 1)
                + " controller(s)\n", "", 0);
    }

    private void remove(Connection c) {
        try {
            Path subsystem = sysfs.resolve("class/nvme-subsystem/nvme-subsys" + c.index());
            for (String name : c.namespaces()) {
                Files.deleteIfExists(subsystem.resolve(name).resolve("uuid"));
                Files.deleteIfExists(subsystem.resolve(name));
                Files.deleteIfExists(dev.resolve(name));
            }
            Files.deleteIfExists(subsystem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nvme-cli 2.x's JSON: one host with its subsystems, each with its controller path. */
    private CommandResult listSubsystems(Command command) {
        ArrayNode hosts = JSON.createArrayNode();
        if (!connections.isEmpty()) {
            ObjectNode host = hosts.addObject();
            ArrayNode subsystems = host.putArray("Subsystems");
            for (Connection c : connections.values()) {
                ObjectNode s = subsystems.addObject();
                s.put("Name", "nvme-subsys" + c.index());
                s.put("NQN", c.nqn());
                ObjectNode path = s.putArray("Paths").addObject();
                path.put("Name", "nvme" + c.index());
                path.put("Transport", "tcp");
                path.put("Address", c.address());
                path.put("State", "live");
            }
        }
        return new CommandResult(command, 0, hosts.toString(), "", 0);
    }

    private static Map<String, String> options(List<String> argv) {
        Map<String, String> options = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return options;
    }
}
