package io.openlocal.csi.nodeapi;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.openlocal.backend.error.StorageException;
import io.openlocal.csi.tls.TlsMaterial;

/**
 * The agent's node API listener: gRPC over TCP with mutual TLS (Helidon WebServer). A client must present a
 * certificate from the CA that names the controller's identity; plaintext and other certificates are refused in
 * the handshake, before any call reaches the node's storage.
 */
public final class NodeApiServer implements AutoCloseable {

    private final WebServer server;

    private NodeApiServer(WebServer server) {
        this.server = server;
    }

    /**
     * @param controllerIdentity the name the controller's certificate carries (DNS SAN or CN)
     */
    public static NodeApiServer start(String host, int port, TlsMaterial tls, String controllerIdentity,
                                      NodeStorage storage) {
        return start(host, port, tls, java.util.List.of(controllerIdentity), storage);
    }

    /**
     * @param clientIdentities the names a client certificate may carry (DNS SAN or CN); one must match
     */
    public static NodeApiServer start(String host, int port, TlsMaterial tls, java.util.List<String> clientIdentities,
                                      NodeStorage storage) {
        return start(host, port, tls.sslContext(clientIdentities), storage);
    }

    /** With certificates reread from {@code files} when they change (rotation without restart). */
    public static NodeApiServer start(String host, int port, io.openlocal.csi.tls.TlsFiles files,
                                      java.util.List<String> clientIdentities, NodeStorage storage) {
        return start(host, port, files.sslContext(clientIdentities), storage);
    }

    private static NodeApiServer start(String host, int port, javax.net.ssl.SSLContext context,
                                       NodeStorage storage) {
        Tls serverTls = Tls.builder()
                .sslContext(context)
                .clientAuth(TlsClientAuth.REQUIRED)
                .build();
        try {
            WebServer server = WebServer.builder().host(host).port(port).tls(serverTls)
                    .addRouting(GrpcRouting.builder().service(new NodeApiService(storage)))
                    .shutdownHook(false)
                    .build().start();
            if (!server.isRunning()) {
                throw new StorageException.Unavailable("the node API did not start on " + host + ":" + port);
            }
            return new NodeApiServer(server);
        } catch (RuntimeException e) {
            if (e instanceof StorageException) {
                throw e;
            }
            throw new StorageException.Unavailable("cannot serve the node API on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
