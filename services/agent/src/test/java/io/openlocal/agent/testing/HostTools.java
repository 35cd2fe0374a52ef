package io.openlocal.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tests' own view of the host, independent of the agent and its backends: lvm2 reports, blkid probes,
 * mkfs for foreign data, and clean-up of VGs the agent made.
 */
public final class HostTools {

    public static final CommandRunner RUNNER = ProcessCommandRunner.standard();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Without device-mapper every lvm command needs --driverloaded n (as the LVM backend does). */
    private static final boolean DEVICE_MAPPER = RUNNER.run(Command.of("dmsetup", "version")).succeeded();

    private HostTools() {
    }

    /** A VG name no earlier run used (metadata may linger on loop files until they are gone). */
    public static String uniqueVgName() {
        return "oltest" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    public static CommandResult run(String... argv) {
        return RUNNER.run(Command.of(argv).withTimeout(TIMEOUT));
    }

    public static CommandResult lvm(String... args) {
        List<String> argv = new ArrayList<>(List.of("lvm", args[0]));
        if (!DEVICE_MAPPER) {
            argv.addAll(List.of("--driverloaded", "n"));
        }
        argv.addAll(List.of(args).subList(1, args.length));
        return RUNNER.run(new Command(argv, TIMEOUT, java.util.Map.of()));
    }

    /** One VG's figures from {@code vgs --reportformat json}, or null when there is no such VG. */
    public static JsonNode vg(String name) {
        CommandResult r = lvm("vgs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "vg_name,vg_size,vg_free,pv_count,lv_count", name);
        if (!r.succeeded()) {
            return null;
        }
        JsonNode rows = json(r.stdout()).path("report").get(0).path("vg");
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Every VG on the host, as JSON text, for "nothing changed" checks. */
    public static String allVgs() {
        CommandResult r = lvm("vgs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "vg_name,vg_uuid,vg_size,vg_free,lv_count", "-O", "vg_name");
        if (!r.succeeded()) {
            throw new AssertionError(r.describe());
        }
        return r.stdout();
    }

    /** {@code blkid -p -o export}: what the device's first sectors hold (empty output for a blank device). */
    public static String blkid(String device) {
        CommandResult r = run("blkid", "-p", "-o", "export", device);
        if (!r.succeeded() && r.exitCode() != 2) {
            throw new AssertionError(r.describe());
        }
        return r.stdout();
    }

    /** Puts a filesystem on the device, as another system would. */
    public static void mkfsExt4(String device) {
        CommandResult r = run("mkfs.ext4", "-q", "-F", "-L", "foreign", device);
        if (!r.succeeded()) {
            throw new AssertionError(r.describe());
        }
    }

    /** Removes a VG and its PV labels; never throws (used in finally blocks). */
    public static void removeVgQuietly(String vg, List<String> devices) {
        CommandResult removed = lvm("vgremove", "-ff", "--yes", vg);
        if (!removed.succeeded() && !removed.stderr().toLowerCase(Locale.ROOT).contains("not found")) {
            System.err.println("clean-up: " + removed.describe());
        }
        if (!devices.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("pvremove", "-ff", "--yes"));
            args.addAll(devices);
            lvm(args.toArray(String[]::new));
        }
        try {
            Files.deleteIfExists(Path.of("/etc/lvm/backup", vg));
            Path archive = Path.of("/etc/lvm/archive");
            if (Files.isDirectory(archive)) {
                try (var files = Files.list(archive)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith(vg + "_")).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("clean-up of lvm metadata copies of " + vg + ": " + e.getMessage());
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
