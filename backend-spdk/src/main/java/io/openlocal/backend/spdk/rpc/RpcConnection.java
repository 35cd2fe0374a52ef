package io.openlocal.backend.spdk.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open connection to the target: many requests may be in flight (their answers are matched by id by a
 * reader thread), writes are serialised. Anything that breaks the protocol (end of stream, bytes that are
 * not JSON, an answer without a usable id, an answer too long) closes the connection and fails every
 * request still waiting with {@link StorageException.Unavailable}; nothing waits forever.
 */
final class RpcConnection {

    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final SocketChannel channel;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService watchdog;
    private final String target;
    private final long generation;
    private final Map<Long, CompletableFuture<RpcReply>> pending = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile StorageException.Unavailable closedBecause;

    RpcConnection(SocketChannel channel, ObjectMapper mapper, ScheduledExecutorService watchdog, String target,
                  long generation) {
        this.channel = channel;
        this.mapper = mapper;
        this.watchdog = watchdog;
        this.target = target;
        this.generation = generation;
        Thread.ofPlatform().daemon().name("spdk-rpc-reader-" + generation).start(this::readLoop);
    }

    long generation() {
        return generation;
    }

    boolean closed() {
        return closedBecause != null;
    }

    /** The requests never reached the target (the connection was already dead): safe to send again. */
    static final class NotDelivered extends RuntimeException {
        final StorageException.Unavailable reason;

        NotDelivered(StorageException.Unavailable reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Registers the futures, then writes the requests in one go. A write that cannot finish by the
     * deadline (the target stopped reading) closes the connection. Throws {@link NotDelivered} when not a
     * byte was written because the connection was already dead (the peer closed it: a unix socket then
     * refuses the write), so the caller may send the requests again on a new connection.
     */
    void send(byte[] bytes, Map<Long, CompletableFuture<RpcReply>> replies, long deadlineNanos) {
        StorageException.Unavailable closedReason = closedBecause;
        if (closedReason != null) {
            throw new NotDelivered(closedReason);
        }
        pending.putAll(replies);
        if (closedBecause != null) { // closed while registering: fail what we just added
            failAll(closedBecause);
            throw closedBecause;
        }
        long waitNanos = Math.max(0, deadlineNanos - System.nanoTime());
        try {
            if (!writeLock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                replies.keySet().forEach(pending::remove);
                throw new StorageException.Unavailable("SPDK target at " + target
                        + ": could not send a request in time (the connection is busy)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replies.keySet().forEach(pending::remove);
            throw new StorageException.Unavailable("interrupted while sending to the SPDK target at " + target, e);
        }
        ScheduledFuture<?> guard = watchdog.schedule(
                () -> close("the target did not take a request within the call timeout"),
                Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            close("sending failed: " + e.getMessage());
            if (buffer.position() == 0) {
                throw new NotDelivered(closedBecause);
            }
        } finally {
            guard.cancel(false);
            writeLock.unlock();
        }
        if (closedBecause != null) {
            throw closedBecause;
        }
    }

    /** Forgets a request whose caller stopped waiting (a late answer is then ignored). */
    void abandon(long id) {
        pending.remove(id);
    }

    private void readLoop() {
        LineFramer framer = new LineFramer(MAX_ANSWER_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    close(framer.pendingBytes() > 0 ? "the target closed the connection in the middle of an answer"
                            : "the target closed the connection");
                    return;
                }
                buffer.flip();
                for (byte[] line : framer.feed(buffer)) {
                    if (!dispatch(line)) {
                        return;
                    }
                }
            }
        } catch (LineFramer.TooLong e) {
            close(e.getMessage());
        } catch (IOException e) {
            close("reading failed: " + e.getMessage());
        }
    }

    /** Completes the request an answer belongs to; false (and the connection closed) if it is not one. */
    private boolean dispatch(byte[] line) {
        JsonNode answer;
        try {
            answer = mapper.readTree(line);
        } catch (IOException e) {
            close("the target sent something that is not JSON: " + excerpt(line));
            return false;
        }
        JsonNode id = answer == null ? null : answer.get("id");
        if (answer == null || !answer.isObject() || id == null || !id.canConvertToLong()) {
            JsonNode error = answer == null ? null : answer.get("error");
            close("the target sent an answer that matches no request: " + excerpt(line)
                    + (error != null ? " (it could not read a request: " + error.path("message").asText() + ")" : ""));
            return false;
        }
        CompletableFuture<RpcReply> future = pending.remove(id.asLong());
        if (future == null) {
            return true; // the answer to a call that timed out; its caller has gone
        }
        JsonNode error = answer.get("error");
        if (error != null && !error.isNull()) {
            future.complete(new RpcReply(id.asLong(), null,
                    new RpcError(error.path("code").asInt(), error.path("message").asText())));
        } else if (answer.has("result")) {
            future.complete(new RpcReply(id.asLong(), answer.get("result"), null));
        } else {
            close("the target sent an answer with neither result nor error: " + excerpt(line));
            return false;
        }
        return true;
    }

    private static String excerpt(byte[] line) {
        String text = new String(line, 0, Math.min(line.length, 200), StandardCharsets.UTF_8);
        return "'" + text.replaceAll("\\p{Cntrl}", "?") + (line.length > 200 ? "...'" : "'");
    }

    /** Closes the connection (once) and fails whatever still waits on it. */
    void close(String reason) {
        synchronized (this) {
            if (closedBecause != null) {
                return;
            }
            closedBecause = new StorageException.Unavailable("SPDK target at " + target + ": " + reason);
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is best effort; the reason is already recorded.
        }
        failAll(closedBecause);
    }

    private void failAll(StorageException.Unavailable reason) {
        for (Long id : pending.keySet()) {
            CompletableFuture<RpcReply> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(reason);
            }
        }
    }
}
