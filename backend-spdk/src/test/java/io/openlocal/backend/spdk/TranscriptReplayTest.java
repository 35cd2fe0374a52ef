package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.openlocal.testinfra.spdk.ShortTempDir;
import io.openlocal.testinfra.spdk.SpdkTargetEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays every exchange recorded from a real SPDK v26.05 target ({@code shared/spdk/rpc-transcript.jsonl},
 * copied into this module's test resources) against the emulator, over a raw unix socket, and compares the
 * answers member by member and in member order. Generated UUIDs cannot match, so they are compared through a
 * one-to-one mapping built while replaying (a UUID the real target repeated must be repeated by the emulator
 * too, for example when an lvstore comes back after re-attaching its device). Raw exchanges are compared
 * byte for byte, including the newline framing; exchanges the real target left unanswered must stay
 * unanswered (and malformed JSON must close the connection).
 *
 * <p>Two things come from outside the transcript: /dev/loop1 is a file the emulator treats as a 512-byte
 * sector block device (grown to 512 MiB where the recording ran losetup -c), and the lvstore "lvsM" that the
 * recording made with SPDK's own CLI before request 501 is made here with the same calls.
 *
 * <p>One deliberate difference: rpc_get_methods on the emulator lists only the methods it implements; the
 * test checks that list is a subset of the real one instead of comparing them.
 */
class TranscriptReplayTest {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern NGUID = Pattern.compile("[0-9A-F]{32}");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> toEmulator = new HashMap<>();
    private final Map<String, String> toRecorded = new HashMap<>();
    private ShortTempDir dir;
    private SpdkTargetEmulator target;
    private java.nio.file.Path loop1;

    @BeforeEach
    void start() {
        dir = ShortTempDir.create();
        loop1 = dir.sparseFile("loop1.img", 256L << 20);
        target = SpdkTargetEmulator.builder(dir.resolve("spdk.sock")).blockDevice("/dev/loop1", loop1).start();
    }

    @AfterEach
    void stop() {
        target.close();
        dir.close();
    }

    @Test
    void everyRecordedExchangeIsAnsweredAsTheRealTargetAnswered() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/spdk/rpc-transcript.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    entries.add(mapper.readTree(line));
                }
            }
        }
        assertThat(entries).hasSize(133);
        int replayed = 0;
        try (Conn conn = Conn.open(target.socketPath())) {
            for (JsonNode entry : entries) {
                String where = "transcript entry " + (replayed + 1) + " (" + entry.path("note").asText() + ")";
                if (entry.has("raw_request")) {
                    replayRaw(entry, where);
                } else {
                    beforeRequest(conn, entry.get("request").get("id").asInt());
                    replayRequest(conn, entry, where);
                }
                replayed++;
            }
        }
        assertThat(replayed).isEqualTo(133);
    }

    /** What the recording did outside the transcript at that point. */
    private void beforeRequest(Conn conn, int id) throws IOException {
        if (id == 501) {
            conn.call(mapper, "{\"jsonrpc\":\"2.0\",\"method\":\"bdev_malloc_create\",\"id\":9001,"
                    + "\"params\":{\"name\":\"M1\",\"num_blocks\":131072,\"block_size\":512}}");
            conn.call(mapper, "{\"jsonrpc\":\"2.0\",\"method\":\"bdev_lvol_create_lvstore\",\"id\":9002,"
                    + "\"params\":{\"bdev_name\":\"M1\",\"lvs_name\":\"lvsM\"}}");
            JsonNode v1 = conn.call(mapper, "{\"jsonrpc\":\"2.0\",\"method\":\"bdev_lvol_create\",\"id\":9003,"
                    + "\"params\":{\"lvs_name\":\"lvsM\",\"lvol_name\":\"v1\",\"size_in_mib\":8}}");
            assertThat(v1.has("result")).as("prelude for 501: %s", v1).isTrue();
        }
        if (id == 509) {
            try (RandomAccessFile raf = new RandomAccessFile(loop1.toFile(), "rw")) {
                raf.setLength(512L << 20); // the recording grew the loop file and ran losetup -c here
            }
        }
    }

    private void replayRequest(Conn conn, JsonNode entry, String where) throws IOException {
        JsonNode request = translateRequest(entry.get("request"));
        JsonNode expected = entry.get("response");
        JsonNode actual = conn.call(mapper, mapper.writeValueAsString(request));
        if (request.get("method").asText().equals("rpc_get_methods")) {
            List<String> real = new ArrayList<>();
            expected.get("result").forEach(n -> real.add(n.asText()));
            List<String> emulated = new ArrayList<>();
            actual.get("result").forEach(n -> emulated.add(n.asText()));
            assertThat(real).as(where).containsAll(emulated);
            assertThat(emulated).as(where).contains("bdev_lvol_create", "bdev_aio_create", "nvmf_create_subsystem",
                    "vhost_create_blk_controller", "bdev_nvme_attach_controller", "bdev_wait_for_examine");
            return;
        }
        compare(expected, actual, where + " " + request, "$");
    }

    private JsonNode translateRequest(JsonNode node) {
        if (node.isTextual() && toEmulator.containsKey(node.asText())) {
            return TextNode.valueOf(toEmulator.get(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = mapper.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), translateRequest(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = mapper.createArrayNode();
            node.forEach(n -> copy.add(translateRequest(n)));
            return copy;
        }
        return node;
    }

    private void compare(JsonNode expected, JsonNode actual, String where, String path) {
        if (actual == null) {
            fail("%s: %s missing; expected %s", where, path, expected);
        }
        if (expected.isTextual()) {
            assertThat(actual.isTextual()).as("%s: %s is text: %s", where, path, actual).isTrue();
            String e = expected.asText();
            String a = actual.asText();
            if (UUID.matcher(e).matches()) {
                bind(e, a, where, path);
            } else if (NGUID.matcher(e).matches() && NGUID.matcher(a).matches()) {
                bind(dashed(e), dashed(a), where, path);
            } else {
                assertThat(a).as("%s: %s", where, path).isEqualTo(e);
            }
            return;
        }
        if (expected.isObject()) {
            assertThat(actual.isObject()).as("%s: %s is an object: %s", where, path, actual).isTrue();
            List<String> expectedNames = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedNames::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertThat(actualNames).as("%s: members of %s", where, path).containsExactlyElementsOf(expectedNames);
            for (Map.Entry<String, JsonNode> member : expected.properties()) {
                compare(member.getValue(), actual.get(member.getKey()), where, path + "." + member.getKey());
            }
            return;
        }
        if (expected.isArray()) {
            assertThat(actual.isArray()).as("%s: %s is an array: %s", where, path, actual).isTrue();
            assertThat(actual.size()).as("%s: size of %s: %s", where, path, actual).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), where, path + "[" + i + "]");
            }
            return;
        }
        assertThat(actual).as("%s: %s", where, path).isEqualTo(expected);
    }

    /** Records that the emulator's UUID {@code a} stands for the recorded {@code e}; the mapping stays one-to-one. */
    private void bind(String e, String a, String where, String path) {
        assertThat(UUID.matcher(a).matches()).as("%s: %s is a UUID: %s", where, path, a).isTrue();
        String known = toEmulator.get(e);
        if (known == null) {
            assertThat(toRecorded).as("%s: %s: emulator UUID %s already stands for another recorded UUID",
                    where, path, a).doesNotContainKey(a);
            toEmulator.put(e, a);
            toRecorded.put(a, e);
        } else {
            assertThat(a).as("%s: %s: recorded %s was answered as %s before", where, path, e, known).isEqualTo(known);
        }
    }

    private static String dashed(String nguid) {
        String h = nguid.toLowerCase(Locale.ROOT);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private void replayRaw(JsonNode entry, String where) throws IOException {
        String request = entry.get("raw_request").asText();
        String expected = entry.get("raw_response").asText();
        try (Conn conn = Conn.open(target.socketPath())) {
            conn.write(request);
            if (expected.isEmpty()) {
                Conn.Silence silence = conn.awaitSilence(300);
                boolean malformed = isMalformed(request);
                assertThat(silence.bytes()).as("%s: nothing may be answered", where).isEmpty();
                assertThat(silence.closed()).as("%s: connection closed (malformed JSON closes it)", where)
                        .isEqualTo(malformed);
                return;
            }
            String actual = conn.readLines((int) expected.chars().filter(c -> c == '\n').count());
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    /** Complete JSON that cannot be parsed (as opposed to valid JSON, or a prefix waiting for more bytes). */
    private boolean isMalformed(String request) {
        try {
            mapper.readTree(request);
            return false;
        } catch (JsonProcessingException e) {
            return !e.getOriginalMessage().contains("end-of-input");
        }
    }

    /** A raw connection to the emulator. */
    private static final class Conn implements AutoCloseable {
        record Silence(String bytes, boolean closed) {
        }

        private final SocketChannel channel;
        private final StringBuilder pending = new StringBuilder();

        private Conn(SocketChannel channel) {
            this.channel = channel;
        }

        static Conn open(java.nio.file.Path socket) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            return new Conn(channel);
        }

        void write(String text) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        JsonNode call(ObjectMapper mapper, String request) throws IOException {
            write(request);
            return mapper.readTree(readLines(1));
        }

        /** Reads until {@code count} newline-terminated lines arrived (at most 5 s). */
        String readLines(int count) throws IOException {
            long deadline = System.currentTimeMillis() + 5000;
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (pending.chars().filter(c -> c == '\n').count() < count) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        fail("no complete answer within 5 s; got so far: " + pending);
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                    int n = channel.read(buf);
                    if (n < 0) {
                        fail("connection closed; got so far: " + pending);
                    }
                    pending.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                }
            }
            int end = 0;
            for (int i = 0; i < count; i++) {
                end = pending.indexOf("\n", end) + 1;
            }
            String lines = pending.substring(0, end);
            pending.delete(0, end);
            return lines;
        }

        Silence awaitSilence(long millis) throws IOException {
            long deadline = System.currentTimeMillis() + millis;
            StringBuilder got = new StringBuilder();
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (System.currentTimeMillis() < deadline) {
                    selector.select(Math.max(1, deadline - System.currentTimeMillis()));
                    selector.selectedKeys().clear();
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    int n = channel.read(buf);
                    if (n < 0) {
                        return new Silence(got.toString(), true);
                    }
                    got.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                }
            }
            return new Silence(got.toString(), false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
