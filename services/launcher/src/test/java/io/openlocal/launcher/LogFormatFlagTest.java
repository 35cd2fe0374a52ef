package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --log-format}: every daemon subcommand offers it, and it selects the format of the process's records. */
class LogFormatFlagTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The launcher as the image runs it: its own JVM, with the launcher's logging configuration. */
    private static LauncherRun launched(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                OpenLocal.class.getName()));
        cmd.addAll(List.of(args));
        Process process = new ProcessBuilder(cmd).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new LauncherRun(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent", "csi", "controller", "standalone", "demo"})
    void everyDaemonSubcommandsHelpListsTheFlag(String subcommand) {
        LauncherRun run = LauncherRun.of(subcommand, "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--log-format=FORMAT").contains("json").contains("Default: text");
    }

    @Test
    void schedulerExtenderHelpListsTheFlagWithItsOwnFlags() {
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(LauncherRun.of("scheduler-extender", "--help").exit()).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--scheduler-strategy").contains("--log-format");
    }

    @Test
    void unknownFormatIsRefusedNamingTheChoices() {
        LauncherRun run = LauncherRun.of("controller", "--log-format", "xml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--log-format").contains("'xml' is not a log format (expected text or json)");
    }

    @Test
    void jsonMakesTheFailureLineAJsonRecord() throws Exception {
        LauncherRun run = launched("controller", "--log-format=json", "--config", "/nonexistent/controller.yaml");
        assertThat(run.exit()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as(run.err()).hasSize(1);
        JsonNode record = JSON.readTree(lines.getFirst());
        assertThat(record.path("level").asText()).isEqualTo("SEVERE");
        assertThat(record.path("logger").asText()).isEqualTo("io.openlocal.launcher");
        assertThat(record.path("message").asText()).startsWith("open-local controller: ")
                .contains("no such configuration file");
        assertThat(record.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(record.has("thread")).isTrue();
    }

    @Test
    void textIsTheDefaultAndKeepsThePlainLine() throws Exception {
        LauncherRun run = launched("controller", "--config", "/nonexistent/controller.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("open-local controller: ").contains("no such configuration file")
                .doesNotContain("{");
    }

    @Test
    void extenderTakesTheFlagBeforeItsOwnFlags() throws Exception {
        // The launcher consumes --log-format; the extender's parser never sees it and still names its bad flag.
        LauncherRun run = launched("scheduler-extender", "--log-format=json", "--port", "abc");
        assertThat(run.exit()).isEqualTo(1);
        JsonNode record = JSON.readTree(run.err().lines().filter(l -> l.contains("--port")).findFirst().orElseThrow());
        assertThat(record.path("level").asText()).isEqualTo("SEVERE");
        assertThat(record.path("message").asText()).contains("--port").contains("abc");
    }
}
