package io.openlocal.launcher.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.filesystem.MountEntry;
import io.openlocal.backend.filesystem.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Takes down everything a standalone run made under its state directory: mounts under it (deepest first), the
 * volume groups on its loops, the loops and their files, and the backends' records. Run at start (leftovers of
 * a crashed run) and at stop. Works from what the system shows (mountinfo, losetup, pvs), not from a record, so
 * a crash at any point leaves nothing it cannot find.
 */
final class Cleaner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CommandRunner runner;
    private final Path stateDir;
    private final LoopFiles loops;

    Cleaner(CommandRunner runner, Path stateDir, LoopFiles loops) {
        this.runner = runner;
        this.stateDir = stateDir;
        this.loops = loops;
    }

    /** Removes everything; returns one line per thing removed, and one per problem. */
    List<String> cleanAll() {
        List<String> report = new ArrayList<>();
        unmountUnder(stateDir, report);
        List<LoopFiles.Loop> attached = loops.attached();
        for (String vg : volumeGroupsOn(attached)) {
            CommandResult removed = run("vgremove", "--force", "--force", "--yes", "--", vg);
            report.add(removed.succeeded() ? "removed volume group " + vg : "could not remove volume group " + vg
                    + ": " + removed.describe());
        }
        for (LoopFiles.Loop loop : attached) {
            run("pvremove", "--force", "--force", "--yes", "--", loop.device());
            try {
                loops.remove(loop);
                report.add("detached " + loop.device() + " (" + loop.file().getFileName() + ")");
            } catch (RuntimeException e) {
                report.add("could not detach " + loop.device() + ": " + e.getMessage());
            }
        }
        for (String sub : List.of("loops", "backends", "records", "csi", "kubelet")) {
            deleteTree(stateDir.resolve(sub), report);
        }
        return report;
    }

    /** Unmounts every mount at or under {@code root}, deepest first. */
    void unmountUnder(Path root, List<String> report) {
        List<Path> targets = new ArrayList<>();
        for (MountEntry entry : MountTable.read().entries()) {
            if (entry.target().startsWith(root)) {
                targets.add(entry.target());
            }
        }
        targets.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path target : targets) {
            CommandResult result = run("umount", "--", target.toString());
            if (!result.succeeded()) {
                result = run("umount", "--lazy", "--", target.toString());
            }
            report.add(result.succeeded() ? "unmounted " + target : "could not unmount " + target + ": "
                    + result.describe());
        }
    }

    private Set<String> volumeGroupsOn(List<LoopFiles.Loop> attached) {
        Set<String> vgs = new LinkedHashSet<>();
        if (attached.isEmpty()) {
            return vgs;
        }
        List<String> argv = new ArrayList<>(List.of("pvs", "--reportformat", "json", "-o", "pv_name,vg_name"));
        attached.forEach(loop -> argv.add(loop.device()));
        CommandResult result = runner.run(Command.of(argv).withTimeout(TIMEOUT));
        if (result.stdout().isBlank()) {
            return vgs;
        }
        try {
            for (JsonNode report : JSON.readTree(result.stdout()).path("report")) {
                for (JsonNode pv : report.path("pv")) {
                    String vg = pv.path("vg_name").asText();
                    if (!vg.isEmpty()) {
                        vgs.add(vg);
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable report leaves the VGs; detaching their loops still frees everything.
        }
        return vgs;
    }

    private static void deleteTree(Path dir, List<String> report) {
        if (!Files.exists(dir)) {
            return;
        }
        // Never walk into a filesystem that is still mounted: that would delete a volume's data.
        if (MountTable.read().entries().stream().anyMatch(e -> e.target().startsWith(dir))) {
            report.add("left " + dir + " in place: something is still mounted under it");
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            report.add("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private CommandResult run(String... argv) {
        return runner.run(Command.of(argv).withTimeout(TIMEOUT));
    }
}
