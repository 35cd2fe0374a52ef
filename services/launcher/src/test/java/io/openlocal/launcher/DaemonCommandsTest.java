package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The daemon subcommands refuse bad configuration with one line naming the key or flag, before starting. */
class DaemonCommandsTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine line = OpenLocal.commandLine();
        StringWriter err = new StringWriter();
        line.setErr(new PrintWriter(err));
        return new Run(line.execute(args), err.toString());
    }

    @Test
    void agentWithAnInvalidNodeNameNamesTheKey(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "nodeName: \"bad name\"\n");
        Run run = run("agent", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("config key 'nodeName'");
    }

    @Test
    void agentWithAnUnknownKeyIsRefused(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "nodeName: n1\ndiscoveryIntervall: 5s\n");
        Run run = run("agent", "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("discoveryIntervall");
    }

    @Test
    void controllerWithAMissingFileSaysSo() {
        Run run = run("controller", "--config", "/nonexistent/controller.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no such configuration file");
    }

    @Test
    void extenderWithABadFlagNamesIt() {
        Run run = run("scheduler-extender", "--port", "abc");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--port").contains("abc");
    }
}
