package io.openlocal.lvm;

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
 * The tests' own view of the host's lvm2, independent of the backend under test: raw lvm commands for set-up
 * (foreign LVs), for checking what is on disk (vgs/lvs/wipefs JSON) and for clean-up.
 */
final class HostLvm {

    static final CommandRunner RUNNER = ProcessCommandRunner.standard();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The same check the backend makes, so tests agree with it about the node. */
    static final boolean DEVICE_MAPPER = RUNNER.run(Command.of("dmsetup", "version")).succeeded();

    private HostLvm() {
    }

    /** A VG name no earlier (possibly crashed) run used: metadata may linger on loop files until they are gone. */
    static String uniqueVgName() {
        return "oltest" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    static CommandResult lvm(String... args) {
        List<String> argv = new ArrayList<>(List.of("lvm", args[0]));
        if (!DEVICE_MAPPER) {
            argv.addAll(List.of("--driverloaded", "n"));
        }
        argv.addAll(List.of(args).subList(1, args.length));
        return RUNNER.run(new Command(argv, TIMEOUT, java.util.Map.of()));
    }

    static CommandResult lvmOrFail(String... args) {
        CommandResult result = lvm(args);
        if (!result.succeeded()) {
            throw new AssertionError(result.describe());
        }
        return result;
    }

    /** {@code vgs --reportformat json --units b} for one VG: the figures the backend must agree with. */
    static JsonNode vgsJson(String vg) {
        JsonNode rows = json(lvmOrFail("vgs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "vg_name,vg_size,vg_free,vg_extent_size,pv_count,lv_count", vg).stdout()).path("report").get(0)
                .path("vg");
        return rows.get(0);
    }

    /** Every LV of a VG (hidden ones too) with the columns that show whether anything changed. */
    static String lvsJson(String vg) {
        return lvmOrFail("lvs", "-a", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "lv_uuid,lv_name,lv_size,lv_tags,lv_attr,seg_count", "-O", "lv_name", vg).stdout();
    }

    /** Every VG name on the host, as JSON text, for "nothing changed" checks. */
    static String allVgsJson() {
        return lvmOrFail("vgs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "vg_name,vg_uuid,vg_size,vg_free,lv_count", "-O", "vg_name").stdout();
    }

    /** What is written on a device (wipefs reads the disk; blkid has no JSON output). */
    static String signaturesJson(String device) {
        CommandResult result = RUNNER.run(Command.of("wipefs", "--no-act", "--json", device));
        if (!result.succeeded()) {
            throw new AssertionError(result.describe());
        }
        return result.stdout();
    }

    static List<JsonNode> lvRows(String vg) {
        List<JsonNode> rows = new ArrayList<>();
        json(lvsJson(vg)).path("report").get(0).path("lv").forEach(rows::add);
        return rows;
    }

    static void run(String... argv) {
        CommandResult result = RUNNER.run(Command.of(argv).withTimeout(TIMEOUT));
        if (!result.succeeded()) {
            throw new AssertionError(result.describe());
        }
    }

    /** Removes a VG and the PV labels under it; used in finally blocks, so it never throws. */
    static void removeVgQuietly(String vg, List<String> devices) {
        CommandResult removed = lvm("vgremove", "-ff", "--yes", vg);
        if (!removed.succeeded() && !removed.stderr().toLowerCase(Locale.ROOT).contains("not found")) {
            System.err.println("clean-up: " + removed.describe());
        }
        if (!devices.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("pvremove", "-ff", "--yes"));
            args.addAll(devices);
            lvm(args.toArray(String[]::new));
        }
        removeMetadataCopies(vg);
    }

    /**
     * lvm2 keeps text copies of every VG's metadata under /etc/lvm (backup, archive) even after vgremove; the
     * throw-away test VGs' copies are deleted so runs leave nothing behind.
     */
    private static void removeMetadataCopies(String vg) {
        if (!vg.startsWith("oltest")) {
            return;
        }
        try {
            Files.deleteIfExists(Path.of("/etc/lvm/backup", vg));
            Path archive = Path.of("/etc/lvm/archive");
            if (Files.isDirectory(archive)) {
                try (var files = Files.list(archive)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().startsWith(vg + "_")).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("clean-up of lvm metadata copies of " + vg + ": " + e.getMessage());
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fullreport fixture from src/test/resources/reports. */
    static String resource(String name) {
        try (var in = HostLvm.class.getResourceAsStream("/reports/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
