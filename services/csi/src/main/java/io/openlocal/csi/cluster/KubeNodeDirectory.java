package io.openlocal.csi.cluster;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.nodeapi.NodeStorage;
import io.openlocal.csi.nodeapi.RemoteNodeStorage;
import io.openlocal.csi.tls.TlsFiles;
import io.openlocal.kube.client.Informers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CSI controller's nodes: every Kubernetes Node (client-java informer), each reached at its address
 * ({@link NodeAddresses}) on the node API port over mutual TLS. One channel per node is kept and replaced when
 * the node's address changes; a node that leaves the cache is dropped with its channel. New TLS connections
 * use the certificate files as they are then ({@link TlsFiles}).
 *
 * <p>A node the informer does not know is absent ({@link #node} empty), which the controller answers as a
 * topology it cannot provision in. A known node whose plugin does not answer fails the call with UNAVAILABLE.
 */
public final class KubeNodeDirectory implements NodeDirectory, AutoCloseable {

    /** What a remote is connected to, so an address change replaces it. */
    private record Connection(String address, RemoteNodeStorage storage) {
    }

    private final SharedInformerFactory factory;
    private final SharedIndexInformer<V1Node> nodes;
    private final int port;
    private final String serverName;
    private final TlsFiles tls;
    private final long deadlineSeconds;
    private final Map<String, Connection> connections = new HashMap<>();
    private boolean closed;

    /**
     * @param serverName the identity every node plugin's certificate carries (see docs/architecture.md)
     */
    public KubeNodeDirectory(ApiClient client, int port, String serverName, TlsFiles tls, long deadlineSeconds) {
        this.port = port;
        this.serverName = serverName;
        this.tls = tls;
        this.deadlineSeconds = deadlineSeconds;
        this.factory = Informers.factory(client);
        this.nodes = factory.sharedIndexInformerFor(new GenericKubernetesApi<>(V1Node.class, V1NodeList.class, "",
                "v1", "nodes", client), V1Node.class, 0);
    }

    public void start() {
        factory.startAllRegisteredInformers();
    }

    /** Whether the node cache has been filled once (readiness). */
    public boolean synced() {
        return nodes.hasSynced();
    }

    @Override
    public Optional<NodeStorage> node(String name) {
        V1Node node = nodes.getIndexer().getByKey(name);
        if (node == null) {
            dropIfGone(name);
            return Optional.empty();
        }
        Optional<String> address = NodeAddresses.of(node);
        if (address.isEmpty()) {
            // A Node without any address cannot be dialled: the same as not being there yet.
            return Optional.empty();
        }
        return Optional.of(connect(name, address.get()));
    }

    private synchronized NodeStorage connect(String name, String address) {
        if (closed) {
            throw new io.openlocal.backend.error.StorageException.Unavailable("the CSI controller is stopping");
        }
        Connection existing = connections.get(name);
        if (existing != null && existing.address().equals(address)) {
            return existing.storage();
        }
        if (existing != null) {
            existing.storage().close();
        }
        RemoteNodeStorage storage = RemoteNodeStorage.connect(name, serverName, address, port, tls, deadlineSeconds);
        // Every node plugin carries the same certificate identity (the chart's one server certificate), so TLS
        // alone cannot tell node-a's plugin from node-b's: a stale or wrong address would put node-b's volumes
        // on node-a. The plugin's own node name settles it before the connection is used.
        String answering;
        try {
            answering = storage.status().nodeName();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        if (!answering.equals(name)) {
            storage.close();
            throw new io.openlocal.backend.error.StorageException.Unavailable("node " + name + ": the node plugin at "
                    + address + ":" + port + " is node " + answering + "'s (Node address out of date?)");
        }
        connections.put(name, new Connection(address, storage));
        return storage;
    }

    private synchronized void dropIfGone(String name) {
        Connection gone = connections.remove(name);
        if (gone != null) {
            gone.storage().close();
        }
    }

    @Override
    public List<String> nodeNames() {
        return nodes.getIndexer().list().stream().filter(n -> NodeAddresses.of(n).isPresent())
                .map(n -> n.getMetadata().getName()).sorted().toList();
    }

    /** A cluster has no default node: the provisioner must pass the selected node's topology. */
    @Override
    public Optional<String> defaultNode() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        closed = true;
        factory.stopAllRegisteredInformers();
        connections.values().forEach(c -> c.storage().close());
        connections.clear();
    }
}
