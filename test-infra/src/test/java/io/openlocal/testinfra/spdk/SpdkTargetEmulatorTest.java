package io.openlocal.testinfra.spdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Restart behaviour and rules the transcript does not show (it has its own replay test in backend-spdk). */
class SpdkTargetEmulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MiB = 1024L * 1024;

    private static JsonNode call(Path socket, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            StringBuilder out = new StringBuilder();
            while (out.indexOf("\n") < 0) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                out.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
            return MAPPER.readTree(out.toString());
        }
    }

    private static String req(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    @Test
    void aRestartLosesMemoryButAnLvstoreOnAFileComesBackWhenTheFileIsAttachedAgain() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create();
             SpdkTargetEmulator target = SpdkTargetEmulator.builder(dir.resolve("s.sock")).start()) {
            Path image = dir.sparseFile("d.img", 64 * MiB);
            Path socket = target.socketPath();
            call(socket, req("bdev_aio_create", "{\"name\":\"a\",\"filename\":\"" + image + "\",\"block_size\":512}"));
            String lvs = call(socket, req("bdev_lvol_create_lvstore", "{\"bdev_name\":\"a\",\"lvs_name\":\"l\"}"))
                    .get("result").asText();
            String lvol = call(socket, req("bdev_lvol_create", "{\"lvs_name\":\"l\",\"lvol_name\":\"v\",\"size_in_mib\":8}"))
                    .get("result").asText();
            call(socket, req("bdev_malloc_create", "{\"name\":\"m\",\"num_blocks\":1024,\"block_size\":512}"));

            target.restart();
            assertThat(call(socket, req("bdev_get_bdevs", null)).get("result")).isEmpty();
            call(socket, req("bdev_aio_create", "{\"name\":\"a\",\"filename\":\"" + image + "\",\"block_size\":512}"));
            JsonNode stores = call(socket, req("bdev_lvol_get_lvstores", null)).get("result");
            assertThat(stores.get(0).get("uuid").asText()).isEqualTo(lvs);
            assertThat(stores.get(0).get("free_clusters").asLong()).isEqualTo(13);
            assertThat(call(socket, req("bdev_get_bdevs", "{\"name\":\"l/v\"}")).get("result").get(0).get("name").asText())
                    .isEqualTo(lvol);
            assertThat(call(socket, req("bdev_get_bdevs", "{\"name\":\"m\"}")).get("error").get("code").asInt()).isEqualTo(-19);
        }
    }

    @Test
    void notificationsErrorsAndBatchesFollowTheTargetsJsonRpcLayer() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create();
             SpdkTargetEmulator target = SpdkTargetEmulator.builder(dir.resolve("s.sock")).start()) {
            Path socket = target.socketPath();
            // An error is answered even to a notification, with a null id.
            JsonNode error = call(socket, "{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}");
            assertThat(error.get("id").isNull()).isTrue();
            assertThat(error.get("error").get("code").asInt()).isEqualTo(-32601);
            assertThat(call(socket, "[]").get("error").get("message").asText()).isEqualTo("Invalid request");
            assertThat(call(socket, "{\"jsonrpc\":\"1.0\",\"method\":\"spdk_get_version\",\"id\":1}").get("error")
                    .get("code").asInt()).isEqualTo(-32600);
            assertThat(call(socket, req("bdev_wait_for_examine", "{}")).get("error").get("message").asText())
                    .isEqualTo("bdev_wait_for_examine requires no parameters");
            assertThat(call(socket, req("bdev_lvol_get_lvstores", "{}")).get("error").get("code").asInt()).isEqualTo(-22);
        }
    }

    @Test
    void vhostControllersGetASocketThatGoesAwayWithThemOrWithTheTarget() throws Exception {
        try (ShortTempDir dir = ShortTempDir.create();
             SpdkTargetEmulator target = SpdkTargetEmulator.builder(dir.resolve("s.sock")).start()) {
            Path socket = target.socketPath();
            call(socket, req("bdev_malloc_create", "{\"name\":\"m\",\"num_blocks\":1024,\"block_size\":512}"));
            assertThat(call(socket, req("vhost_create_blk_controller", "{\"ctrlr\":\"c0\",\"dev_name\":\"m\"}"))
                    .get("result").asBoolean()).isTrue();
            assertThat(Files.exists(dir.resolve("c0"))).isTrue();
            assertThat(call(socket, req("vhost_create_blk_controller", "{\"ctrlr\":\"c0\",\"dev_name\":\"m\"}"))
                    .get("error").get("message").asText()).isEqualTo("File exists");
            assertThat(call(socket, req("vhost_delete_controller", "{\"ctrlr\":\"c9\"}")).get("error").get("code").asInt())
                    .isEqualTo(-32602);
            target.stop();
            assertThat(Files.exists(dir.resolve("c0"))).isFalse();
        }
    }
}
