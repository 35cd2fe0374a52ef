package io.openlocal.launcher.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.config.Settings;
import io.openlocal.config.standalone.StandaloneConfig;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.ProbeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.launcher.demo.Demo;
import io.openlocal.testinfra.loop.LoopDevices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Standalone mode on real loop devices: it serves CSI and HTTP, the demo runs through it, and it leaves nothing
 * behind, including what a crashed earlier run left. (The loop harness is registered for its host-wide lock and
 * as a safety net that unmounts anything left under its directories.)
 */
class StandaloneTest {

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    private final CommandRunner runner = ProcessCommandRunner.standard();

    private StandaloneConfig config(Path stateDir) {
        return StandaloneConfig.from(Settings.fromYaml("""
                node:
                  name: standalone-test
                http:
                  port: 0
                pools:
                  lvm:
                    - name: oltest-standalone
                      size: 256Mi
                  devices:
                    - size: 128Mi
                      mediaType: ssd
                    - size: 128Mi
                      mediaType: hdd
                """)).withStateDir(stateDir);
    }

    private String systemState(Path stateDir) {
        String loops = runner.run(Command.of("losetup", "--list", "--json", "--output", "NAME,BACK-FILE")).stdout();
        String vgs = runner.run(Command.of("vgs", "--reportformat", "json", "-o", "vg_name")).stdout();
        StringBuilder mounts = new StringBuilder();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.contains(stateDir.toString())) {
                    mounts.append(line).append('\n');
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (loops.contains(stateDir.toString()) ? "loops of the state dir attached\n" : "")
                + (vgs.contains("oltest-standalone") ? "volume group left\n" : "") + mounts;
    }

    @Test
    void standaloneServesCsiAndHttpRunsTheDemoAndRemovesEverything() throws Exception {
        Path stateDir = LOOPS.directory("standalone-");
        Standalone standalone = Standalone.start(config(stateDir), runner, routing -> { });
        try {
            assertThat(standalone.pools()).hasSize(3);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(standalone.socket())))
                    .isEqualTo("rw-rw----");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(standalone.httpBase()
                    + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"volumeType\":\"Device\"");

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (CsiClient client = CsiClient.connect(standalone.socket(), 60)) {
                client.identity().probe(ProbeRequest.getDefaultInstance());
                int failures = new Demo(client, standalone.kubeletDir(), new PrintStream(printed, true,
                        StandardCharsets.UTF_8)).run();
                assertThat(failures).as(printed.toString(StandardCharsets.UTF_8)).isZero();

                // Leave a volume staged on purpose: stopping must unmount and release it.
                VolumeCapability mount = VolumeCapability.newBuilder().setMount(VolumeCapability.MountVolume
                        .getDefaultInstance()).setAccessMode(VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();
                Volume left = client.controller().createVolume(CreateVolumeRequest.newBuilder().setName("left-behind")
                        .putParameters("volumeType", "Device").setCapacityRange(CapacityRange.newBuilder()
                                .setRequiredBytes(64 << 20)).addVolumeCapabilities(mount).build()).getVolume();
                Path staging = Files.createDirectories(standalone.kubeletDir().resolve("staging/left"));
                client.node().nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(left.getVolumeId())
                        .setStagingTargetPath(staging.toString()).setVolumeCapability(mount).build());
            }
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("NodeStageVolume").contains("ControllerExpandVolume");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(standalone.httpBase()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("openlocal_csi_operations_total").contains("CreateVolume");
            // The run's own commands are timed there too: the loops it attached and the VG it made.
            assertThat(metrics.body())
                    .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"losetup\"} [1-9]")
                    .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"vgcreate\"} 1")
                    .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"mkfs.ext4\"} "
                            + "[1-9]");
        } finally {
            standalone.close();
        }
        assertThat(systemState(stateDir)).isEmpty();
        assertThat(standalone.socket()).doesNotExist();
    }

    @Test
    void leftoversOfACrashedRunAreRemovedAtTheNextStart() throws Exception {
        Path stateDir = LOOPS.directory("standalone-");
        // What a killed run leaves: a loop on a file in the state dir, a VG on it, a mount under the kubelet dir.
        LoopFiles loops = new LoopFiles(runner, stateDir.resolve("loops"));
        LoopFiles.Loop orphan = loops.create("lvm-orphan.img", 64 << 20, true);
        runner.run(Command.of("vgcreate", "oltest-standalone-orphan", orphan.device())).orThrow();
        Path mounted = Files.createDirectories(stateDir.resolve("kubelet/pods/x/mount"));
        runner.run(Command.of("mount", "-t", "tmpfs", "tmpfs", mounted.toString())).orThrow();

        Standalone standalone = Standalone.start(config(stateDir), runner, routing -> { });
        try {
            assertThat(standalone.leftoversRemoved()).anyMatch(l -> l.contains("oltest-standalone-orphan"))
                    .anyMatch(l -> l.contains(orphan.device())).anyMatch(l -> l.contains("unmounted"));
            assertThat(orphan.file()).doesNotExist();
            assertThat(runner.run(Command.of("vgs", "oltest-standalone-orphan")).succeeded()).isFalse();
        } finally {
            standalone.close();
        }
        assertThat(systemState(stateDir)).isEmpty();
    }

    @Test
    void aSecondStandaloneOnTheSameStateDirIsRefused() {
        Path stateDir = LOOPS.directory("standalone-");
        Standalone first = Standalone.start(config(stateDir), runner, routing -> { });
        try {
            assertThatThrownBy(() -> Standalone.start(config(stateDir), runner, routing -> { }))
                    .isInstanceOf(StorageException.Busy.class).hasMessageContaining(stateDir.toString());
        } finally {
            first.close();
        }
        assertThat(systemState(stateDir)).isEmpty();
    }
}
