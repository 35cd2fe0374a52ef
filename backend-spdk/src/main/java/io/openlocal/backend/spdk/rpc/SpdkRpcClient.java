package io.openlocal.backend.spdk.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlocal.backend.error.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC 2.0 client for the SPDK target's unix socket.
 *
 * <p>One connection is shared by all callers and requests are pipelined on it: each request is written as
 * one JSON object, answers come back one per line and are matched to their request by id, so concurrent
 * operations do not queue behind each other's round trips (the target answers a lone request only at its
 * next poll, about 8 ms, but a batch of pipelined requests in one go). Every call has a time limit. A
 * connection that breaks (target restarted, garbage on the wire, closed socket) fails the calls waiting on
 * it with {@link StorageException.Unavailable}; the next call connects again, retrying for up to the
 * connect timeout while the socket is not there yet. {@link #connectionGeneration()} counts connections,
 * so a caller can tell that the target may have restarted since it last looked.
 */
public final class SpdkRpcClient implements AutoCloseable {

    private final Path socketPath;
    private final Duration callTimeout;
    private final Duration connectTimeout;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spdk-rpc-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Object connectLock = new Object();
    private volatile RpcConnection connection;
    private volatile boolean closed;

    public SpdkRpcClient(Path socketPath, Duration callTimeout, Duration connectTimeout) {
        this.socketPath = socketPath;
        this.callTimeout = callTimeout;
        this.connectTimeout = connectTimeout;
    }

    public Path socketPath() {
        return socketPath;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A params object to fill in. */
    public ObjectNode params() {
        return mapper.createObjectNode();
    }

    /** How many connections have been made so far; it changes when the client reconnected. */
    public long connectionGeneration() {
        return generations.get();
    }

    /**
     * Calls a method and returns its result; an error answer becomes the matching {@link StorageException}
     * (see {@link SpdkErrors}) carrying the target's message.
     */
    public JsonNode call(String method, ObjectNode params) {
        RpcReply reply = exchange(new RpcRequest(method, params));
        if (!reply.ok()) {
            throw SpdkErrors.toException(method, params, reply.error());
        }
        return reply.result();
    }

    /** Calls a method and returns the answer as it came, error or result. Transport problems throw Unavailable. */
    public RpcReply exchange(RpcRequest request) {
        return pipeline(List.of(request)).getFirst();
    }

    /**
     * Sends all requests in one write and waits for all answers (in request order), within one call timeout.
     */
    public List<RpcReply> pipeline(List<RpcRequest> requests) {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        Map<Long, CompletableFuture<RpcReply>> futures;
        RpcConnection conn;
        for (int attempt = 1; ; attempt++) {
            futures = new LinkedHashMap<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (RpcRequest request : requests) {
                long id = ids.incrementAndGet();
                futures.put(id, new CompletableFuture<>());
                writeRequest(bytes, id, request);
            }
            conn = connection(deadline);
            try {
                conn.send(bytes.toByteArray(), futures, deadline);
                break;
            } catch (RpcConnection.NotDelivered e) {
                // The connection had died before a byte went out (the target restarted since the last
                // call): nothing reached the target, so sending again on a new connection is safe, once.
                if (attempt == 2) {
                    throw e.reason;
                }
            }
        }
        List<RpcReply> replies = new ArrayList<>(requests.size());
        int index = 0;
        for (Map.Entry<Long, CompletableFuture<RpcReply>> entry : futures.entrySet()) {
            try {
                replies.add(entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                futures.keySet().forEach(conn::abandon);
                throw new StorageException.Unavailable("SPDK target at " + socketPath + " did not answer "
                        + requests.get(index).method() + " within " + callTimeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                futures.keySet().forEach(conn::abandon);
                if (e.getCause() instanceof StorageException se) {
                    throw se;
                }
                throw new StorageException.Unavailable("SPDK call " + requests.get(index).method() + " failed", e);
            } catch (InterruptedException e) {
                futures.keySet().forEach(conn::abandon);
                Thread.currentThread().interrupt();
                throw new StorageException.Unavailable("interrupted while waiting for the SPDK target", e);
            }
            index++;
        }
        return replies;
    }

    /** Sends one request without waiting; the future fails with Unavailable if the connection breaks. */
    public CompletableFuture<RpcReply> submit(RpcRequest request) {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        long id = ids.incrementAndGet();
        CompletableFuture<RpcReply> future = new CompletableFuture<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeRequest(bytes, id, request);
        RpcConnection conn = connection(deadline);
        try {
            conn.send(bytes.toByteArray(), Map.of(id, future), deadline);
        } catch (RpcConnection.NotDelivered e) {
            throw e.reason;
        }
        return future.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e != null) {
                conn.abandon(id);
            }
        });
    }

    private void writeRequest(ByteArrayOutputStream out, long id, RpcRequest request) {
        ObjectNode node = mapper.createObjectNode();
        node.put("jsonrpc", "2.0");
        node.put("method", request.method());
        node.put("id", id);
        if (request.params() != null) {
            node.set("params", request.params());
        }
        try {
            out.write(mapper.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new StorageException.Internal("cannot encode a request for " + request.method(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private RpcConnection connection(long callDeadline) {
        RpcConnection current = connection;
        if (current != null && !current.closed()) {
            return current;
        }
        synchronized (connectLock) {
            if (closed) {
                throw new StorageException.Unavailable("the SPDK client for " + socketPath + " is closed");
            }
            current = connection;
            if (current != null && !current.closed()) {
                return current;
            }
            long deadline = Math.min(callDeadline, System.nanoTime() + connectTimeout.toNanos());
            IOException last = null;
            while (true) {
                SocketChannel channel = null;
                try {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(socketPath));
                    connection = new RpcConnection(channel, mapper, watchdog, socketPath.toString(),
                            generations.incrementAndGet());
                    return connection;
                } catch (IOException e) {
                    last = e;
                    closeQuietly(channel);
                }
                if (System.nanoTime() >= deadline) {
                    throw new StorageException.Unavailable("cannot connect to the SPDK target at " + socketPath
                            + ": " + last.getMessage() + " (is spdk_tgt running with -r " + socketPath + "?)", last);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException.Unavailable("interrupted while connecting to " + socketPath, e);
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was sent on it.
            }
        }
    }

    /**
     * Connects if there is no open connection and returns the connection's generation: a caller that saw
     * another generation before knows the target may have restarted in between.
     */
    public long ensureConnected() {
        return connection(System.nanoTime() + callTimeout.toNanos()).generation();
    }

    /** Whether a connection is open now (false before the first call and after the target dropped it). */
    public boolean connected() {
        RpcConnection current = connection;
        return current != null && !current.closed();
    }

    /** Drops the current connection (for tests and after the target was known to restart). */
    public void disconnect() {
        RpcConnection current = connection;
        if (current != null) {
            current.close("disconnected by the client");
        }
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            closed = true;
            disconnect();
        }
        watchdog.shutdownNow();
    }
}
