package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.rpc.RpcReply;
import io.openlocal.backend.spdk.rpc.RpcRequest;
import io.openlocal.backend.spdk.rpc.SpdkRpcClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON-RPC client against the emulated target (and, for byte-level framing, a scripted peer). */
class SpdkRpcClientTest {

    private SpdkFixture fx;
    private SpdkRpcClient client;

    @BeforeEach
    void setUp() {
        fx = new SpdkFixture();
        client = new SpdkRpcClient(fx.target.socketPath(), Duration.ofMillis(1500), Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        client.close();
        fx.close();
    }

    @Test
    void callReturnsTheResultAndOneConnectionServesManyCalls() {
        JsonNode version = client.call("spdk_get_version", null);
        assertThat(version.get("version").asText()).startsWith("SPDK v26.05");
        for (int i = 0; i < 20; i++) {
            client.call("bdev_get_bdevs", null);
        }
        assertThat(client.connectionGeneration()).isEqualTo(1);
    }

    @Test
    void errorAnswersBecomeTypedErrorsKeepingTheTargetsMessage() {
        assertThatThrownBy(() -> client.call("bdev_get_bdevs", client.params().put("name", "nope")))
                .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("No such device (code -19)");
        client.call("bdev_malloc_create", client.params().put("name", "M0").put("num_blocks", 2048).put("block_size", 512));
        assertThatThrownBy(() -> client.call("bdev_malloc_create",
                client.params().put("name", "M0").put("num_blocks", 2048).put("block_size", 512)))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("File exists (code -17)");
        assertThatThrownBy(() -> client.call("no_such_method", null))
                .isInstanceOf(StorageException.Unsupported.class).hasMessageContaining("Method not found");
        assertThatThrownBy(() -> client.call("bdev_malloc_create", client.params().put("bogus", 1)))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("spdk_json_decode_object failed");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndMatchedById() {
        List<RpcRequest> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(i % 2 == 0 ? RpcRequest.of("spdk_get_version")
                    : new RpcRequest("bdev_get_bdevs", client.params().put("name", "missing-" + i)));
        }
        List<RpcReply> replies = client.pipeline(requests);
        assertThat(replies).hasSize(500);
        for (int i = 0; i < 500; i++) {
            if (i % 2 == 0) {
                assertThat(replies.get(i).ok()).isTrue();
            } else {
                assertThat(replies.get(i).error().code()).isEqualTo(-19);
            }
        }
        long ids = replies.stream().mapToLong(RpcReply::id).distinct().count();
        assertThat(ids).isEqualTo(500);
    }

    @Test
    void concurrentCallersArePipelinedOnOneConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String name = "T" + thread + "-" + i;
                        client.call("bdev_malloc_create", client.params().put("name", name).put("num_blocks", 64)
                                .put("block_size", 512));
                        JsonNode got = client.call("bdev_get_bdevs", client.params().put("name", name));
                        assertThat(got.get(0).get("name").asText()).isEqualTo(name);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(client.connectionGeneration()).isEqualTo(1);
        assertThat(client.call("bdev_get_bdevs", null).size()).isEqualTo(800);
    }

    @Test
    void aCallToAHungTargetTimesOutAndLaterCallsStillWork() throws InterruptedException {
        fx.target.faults().hang("bdev_lvol_get_lvstores");
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.call("bdev_lvol_get_lvstores", null))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("did not answer");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
        fx.target.faults().clear();
        assertThat(client.connected()).isTrue(); // a timeout does not drop the connection by itself
        fx.target.dropConnections(); // the target gives up on the stuck connection
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (client.connected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.connected()).as("the client saw the connection end").isFalse();
        assertThat(client.call("spdk_get_version", null).has("version")).isTrue();
        assertThat(client.connectionGeneration()).isEqualTo(2);
    }

    @Test
    void garbageFromTheTargetIsUnavailableAndTheNextCallReconnects() {
        fx.target.faults().garbage("bdev_get_bdevs");
        assertThatThrownBy(() -> client.call("bdev_get_bdevs", null))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("not JSON");
        fx.target.faults().clear();
        assertThat(client.call("bdev_get_bdevs", null).isArray()).isTrue();
        assertThat(client.connectionGeneration()).isEqualTo(2);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsUnavailableNotAHang() {
        fx.target.faults().closeConnection("bdev_get_bdevs");
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.call("bdev_get_bdevs", null))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("closed the connection");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void aTargetStoppedMidCallFailsTheCallAtOnceAndTheClientReconnectsAfterARestart() throws Exception {
        fx.target.faults().delay("bdev_malloc_create", Duration.ofSeconds(10));
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                client.call("bdev_malloc_create", client.params().put("name", "late").put("num_blocks", 64)
                        .put("block_size", 512));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        fx.target.stop();
        Throwable error = failure.get();
        assertThat(error).isInstanceOf(StorageException.Unavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.call("spdk_get_version", null))
                .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("cannot connect");
        fx.target.faults().clear();
        fx.target.start();
        assertThat(client.call("bdev_get_bdevs", null).size()).isZero(); // state lost, request never applied
        assertThat(client.connectionGeneration()).isEqualTo(2);
    }

    @Test
    void aCallMadeRightAfterARestartIsSentOnANewConnection() {
        for (int i = 0; i < 20; i++) {
            client.call("spdk_get_version", null);
            fx.target.restart();
            // Whether or not the reader has seen the old connection end, nothing was delivered on it: the
            // call goes out again on a new connection instead of failing.
            assertThat(client.call("spdk_get_version", null).has("version")).isTrue();
        }
        assertThat(client.connectionGeneration()).isEqualTo(21);
    }

    @Test
    void submitReturnsAFutureAnsweredByTheReaderThread() throws Exception {
        CompletableFuture<RpcReply> reply = client.submit(RpcRequest.of("spdk_get_version"));
        assertThat(reply.get().result().get("version").asText()).contains("v26.05");
    }

    // ---- byte-level framing against a scripted peer

    /** A one-connection unix socket peer that runs a script with the accepted channel. */
    private static CompletableFuture<Void> scriptedPeer(Path socket, Consumer<SocketChannel> script) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.runAsync(() -> {
            try (server; SocketChannel channel = server.accept()) {
                script.accept(channel);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static String readRequest(SocketChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            channel.read(buffer);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void write(SocketChannel channel, String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void anAnswerSplitAcrossReadsIsReassembledAndAnswersForForgottenIdsAreIgnored() throws Exception {
        Path socket = fx.dir.resolve("peer.sock");
        CompletableFuture<Void> peer = scriptedPeer(socket, ch -> {
            String request = readRequest(ch);
            assertThat(request).startsWith("{\"jsonrpc\":\"2.0\",\"method\":\"spdk_get_version\",\"id\":1")
                    .doesNotContain("\n").doesNotContain("params");
            write(ch, "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":true}\n"); // no such request: ignored
            write(ch, "{\"jsonrpc\":\"2.0\",\"id\":1,\"res");
            sleep(50);
            write(ch, "ult\":{\"version\":\"SPDK v26.05\"");
            sleep(50);
            write(ch, "}}\n");
            sleep(200);
        });
        try (SpdkRpcClient c = new SpdkRpcClient(socket, Duration.ofSeconds(2), Duration.ofMillis(300))) {
            assertThat(c.call("spdk_get_version", null).get("version").asText()).isEqualTo("SPDK v26.05");
        }
        peer.get();
    }

    @Test
    void anAnswerMatchingNoRequestShapeClosesTheConnectionWithUnavailable() throws Exception {
        Path socket = fx.dir.resolve("peer2.sock");
        CompletableFuture<Void> peer = scriptedPeer(socket, ch -> {
            readRequest(ch);
            write(ch, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid request\"}}\n");
            sleep(200);
        });
        try (SpdkRpcClient c = new SpdkRpcClient(socket, Duration.ofSeconds(2), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> c.call("spdk_get_version", null))
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("matches no request")
                    .hasMessageContaining("Invalid request");
        }
        peer.get();
    }

    @Test
    void connectingWhereNoTargetListensIsUnavailableAfterTheConnectTimeout() {
        try (SpdkRpcClient c = new SpdkRpcClient(fx.dir.resolve("absent.sock"), Duration.ofSeconds(2),
                Duration.ofMillis(200))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.call("spdk_get_version", null))
                    .isInstanceOf(StorageException.Unavailable.class).hasMessageContaining("cannot connect");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
