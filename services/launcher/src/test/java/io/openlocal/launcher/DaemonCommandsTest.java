package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon subcommands (agent, controller, scheduler-extender, csi) refuse bad configuration with one line naming
 * the key, flag or file, before starting anything. */
class DaemonCommandsTest {

    private static LauncherRun run(String... args) {
        return LauncherRun.of(args);
    }

    @Test
    void agentWithAnInvalidNodeNameNamesTheKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "nodeName: \"bad name\"\n");
        LauncherRun run = run("agent", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("config key 'nodeName'");
    }

    @Test
    void agentWithAnUnknownKeyIsRefused(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "nodeName: n1\ndiscoveryIntervall: 5s\n");
        LauncherRun run = run("agent", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("discoveryIntervall");
    }

    @Test
    void controllerWithAMissingFileSaysSo() {
        LauncherRun run = run("controller", "--config", "/nonexistent/controller.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no such configuration file");
    }

    @Test
    void extenderWithABadFlagNamesIt() {
        LauncherRun run = run("scheduler-extender", "--port", "abc");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--port").contains("abc");
    }

    // open-local csi

    @Test
    void unknownKeyIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("csi.yaml"), "csi: {mode: controller, cgroupRoot: /x}\n");
        LauncherRun run = run("csi", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("config key 'csi'").contains("cgroupRoot");
    }

    @Test
    void nodeModeWithoutANodeNameNamesTheKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("csi.yaml"), "csi: {mode: node}\n");
        LauncherRun run = run("csi", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("config key 'nodeName'");
    }

    @Test
    void nodeModeWithMissingTlsFilesSaysWhichBeforeTouchingDisks(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("csi.yaml"), """
                csi: {mode: node, endpoint: "unix://%s/csi.sock", stateDir: %s/state}
                nodeApi: {tls: {certFile: %s/none.crt, keyFile: %s/none.key, caFile: %s/ca.crt}}
                """.formatted(dir, dir, dir, dir, dir));
        LauncherRun run = run("csi", "--config", config.toString(), "--node-name", "node-1");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("none.crt");
        assertThat(dir.resolve("state")).doesNotExist();
        assertThat(dir.resolve("csi.sock")).doesNotExist();
    }

    @Test
    void configFileIsRequired() {
        LauncherRun run = run("csi");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--config");
    }
}
