package io.openlocal.csi.server;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves the CSI services on a unix socket with Helidon's WebServer (HTTP/2 + gRPC over a unix-domain listener);
 * see "CSI transport" in docs/architecture.md for why this transport.
 */
public final class CsiServer implements AutoCloseable {

    private final UnixSocket socket;
    private final WebServer server;

    private CsiServer(UnixSocket socket, WebServer server) {
        this.socket = socket;
        this.server = server;
    }

    /**
     * Claims the socket (refusing a live one, removing a stale one), binds, and restricts it to mode 0660.
     *
     * @param services the Identity, Controller and/or Node services
     * @param metrics  counts every call
     */
    public static CsiServer start(Path socketPath, List<BindableService> services, CallMetrics metrics) {
        UnixSocket socket = UnixSocket.claim(socketPath);
        try {
            GrpcRouting.Builder routing = GrpcRouting.builder();
            for (BindableService service : services) {
                routing.service(ServerInterceptors.intercept(service, metrics));
            }
            WebServer server = WebServer.builder()
                    .bindAddress(socket.address())
                    .addRouting(routing)
                    .shutdownHook(false)
                    .build()
                    .start();
            if (!server.isRunning()) {
                throw new StorageException.Unavailable("the CSI server did not start on " + socketPath);
            }
            socket.restrictPermissions();
            return new CsiServer(socket, server);
        } catch (RuntimeException e) {
            socket.close();
            if (e instanceof StorageException) {
                throw e;
            }
            throw new StorageException.Unavailable("cannot serve CSI on " + socketPath + ": " + e.getMessage(), e);
        }
    }

    public Path socketPath() {
        return socket.path();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            socket.close();
        }
    }
}
