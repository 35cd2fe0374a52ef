package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The target's JSON-RPC listener on a unix socket. Per connection: read what has arrived, (optionally)
 * wait for the next poll like the target's RPC poller, handle every complete request in order, then send
 * the answers, one JSON text per line. Malformed JSON closes the connection without an answer, and
 * answers to requests read in the same batch are dropped with it, as on the target.
 */
final class RpcServer implements AutoCloseable {

    private final Path socketPath;
    private final RpcDispatcher dispatcher;
    private final ObjectMapper mapper;
    private final Duration pollPeriod;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private volatile boolean closed;

    RpcServer(Path socketPath, RpcDispatcher dispatcher, ObjectMapper mapper, Duration pollPeriod) {
        this.socketPath = socketPath;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
        this.pollPeriod = pollPeriod;
    }

    void start() throws IOException {
        Files.deleteIfExists(socketPath);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath), 512);
        Thread acceptor = Thread.ofPlatform().daemon().name("spdk-emulator-accept").start(this::acceptLoop);
        threads.add(acceptor);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel channel = server.accept();
                connections.add(channel);
                Thread t = Thread.ofVirtual().name("spdk-emulator-conn").unstarted(() -> serve(channel));
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel channel) {
        RequestStream stream = new RequestStream(mapper);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (channel) {
            while (!closed) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return;
                }
                if (!pollPeriod.isZero()) {
                    Thread.sleep(pollPeriod);
                }
                RequestStream.Feed feed = stream.feed(buffer.array(), n);
                StringBuilder out = new StringBuilder();
                for (JsonNode value : feed.values()) {
                    RpcDispatcher.Outcome outcome = dispatcher.handle(value);
                    switch (outcome) {
                        case RpcDispatcher.Reply reply -> out.append(reply.line());
                        case RpcDispatcher.Garbage garbage -> out.append(garbage.line());
                        case RpcDispatcher.Close close -> {
                            return;
                        }
                        case RpcDispatcher.Silent silent -> {
                        }
                    }
                }
                if (feed.malformed()) {
                    return; // "jsonrpc parse request failed": close, answers of this batch are dropped
                }
                ByteBuffer bytes = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (ClosedChannelException | InterruptedException e) {
            // Stopped while serving.
        } catch (IOException e) {
            // The client went away.
        } finally {
            connections.remove(channel);
            threads.remove(Thread.currentThread());
        }
    }

    /** Drops every open connection (the listener stays). */
    void dropConnections() {
        for (SocketChannel c : connections) {
            try {
                c.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // Already closed.
        }
        dropConnections();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            // Nothing else to do: the next start deletes a stale socket.
        }
    }
}
