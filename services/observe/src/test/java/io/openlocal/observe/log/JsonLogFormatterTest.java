package io.openlocal.observe.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private static LogRecord record(Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("io.openlocal.agent.kube.AgentLoop");
        record.setInstant(Instant.parse("2026-11-24T10:15:30.123456789Z"));
        return record;
    }

    /** The formatted text is exactly one line holding one JSON object. */
    private JsonNode oneLine(LogRecord record) throws IOException {
        String text = formatter.format(record);
        assertThat(text).endsWith("\n");
        assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n").doesNotContain("\r");
        return JSON.readTree(text);
    }

    @Test
    void recordBecomesOneObjectWithTimeLevelLoggerMessageAndThread() throws Exception {
        JsonNode line = oneLine(record(Level.WARNING, "agent pass for node-1 failed"));
        assertThat(line.path("time").asText()).isEqualTo("2026-11-24T10:15:30.123Z");
        assertThat(line.path("level").asText()).isEqualTo("WARNING");
        assertThat(line.path("logger").asText()).isEqualTo("io.openlocal.agent.kube.AgentLoop");
        assertThat(line.path("message").asText()).isEqualTo("agent pass for node-1 failed");
        assertThat(line.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.has("exception")).isFalse();
        assertThat(line.size()).isEqualTo(5);
    }

    @Test
    void quotesBackslashesControlCharactersAndUnicodeSurviveTheRoundTrip() throws Exception {
        String nasty = "device \"/dev/loop3\" at C:\\x\ttab \u0001 bell\u0007 \u00e9t\u00e9 \u2028 end";
        JsonNode line = oneLine(record(Level.INFO, nasty));
        assertThat(line.path("message").asText()).isEqualTo(nasty);
    }

    @Test
    void multiLineMessageStaysOnOneLineAndKeepsItsLineBreaks() throws Exception {
        String message = "lvm2 said:\n  Volume group \"pool0\" not found\r\n  Cannot process volume group pool0";
        JsonNode line = oneLine(record(Level.SEVERE, message));
        assertThat(line.path("message").asText()).isEqualTo(message);
    }

    @Test
    void exceptionIsItsStackTraceWithCauses() throws Exception {
        LogRecord record = record(Level.WARNING, "pass failed");
        record.setThrown(new IllegalStateException("outer \"quoted\"", new UncheckedIOException("disk gone",
                new IOException("EIO"))));
        JsonNode line = oneLine(record);
        String trace = line.path("exception").asText();
        assertThat(trace).startsWith("java.lang.IllegalStateException: outer \"quoted\"\n\tat ")
                .contains(JsonLogFormatterTest.class.getName())
                .contains("Caused by: java.io.UncheckedIOException: disk gone")
                .contains("Caused by: java.io.IOException: EIO")
                .doesNotEndWith("\n");
    }

    @Test
    void parametersAreFilledIn() throws Exception {
        LogRecord record = record(Level.INFO, "allocate claim={0} node={1}");
        record.setParameters(new Object[] {"default/pvc-1", "node-a"});
        assertThat(oneLine(record).path("message").asText()).isEqualTo("allocate claim=default/pvc-1 node=node-a");
    }

    @Test
    void recordFormattedOnAnotherThreadNamesItsThreadById() throws Exception {
        LogRecord record = record(Level.INFO, "from elsewhere");
        AtomicReference<String> text = new AtomicReference<>();
        Thread other = new Thread(() -> text.set(formatter.format(record)), "formatter-thread");
        other.start();
        other.join();
        assertThat(JSON.readTree(text.get()).path("thread").asText())
                .isEqualTo("thread-" + Thread.currentThread().threadId());
    }

    @Test
    void missingLoggerNameIsEmptyNotNull() throws Exception {
        LogRecord record = new LogRecord(Level.FINE, "anonymous");
        record.setLoggerName(null);
        JsonNode line = oneLine(record);
        assertThat(line.path("logger").isTextual()).isTrue();
        assertThat(line.path("logger").asText()).isEmpty();
        assertThat(line.path("level").asText()).isEqualTo("FINE");
    }
}
