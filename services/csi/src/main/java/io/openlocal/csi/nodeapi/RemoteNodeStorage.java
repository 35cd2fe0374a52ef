package io.openlocal.csi.nodeapi;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.csi.tls.TlsMaterial;
import io.openlocal.nodeapi.v1.DeleteSnapshotRequest;
import io.openlocal.nodeapi.v1.DeleteVolumeRequest;
import io.openlocal.nodeapi.v1.ExpandVolumeRequest;
import io.openlocal.nodeapi.v1.GetNodeStatusRequest;
import io.openlocal.nodeapi.v1.GetVolumeRequest;
import io.openlocal.nodeapi.v1.GetVolumeResponse;
import io.openlocal.nodeapi.v1.ListPoolsRequest;
import io.openlocal.nodeapi.v1.ListSnapshotsRequest;
import io.openlocal.nodeapi.v1.ListVolumesRequest;
import io.openlocal.nodeapi.v1.NodeStorageGrpc;
import io.openlocal.nodeapi.v1.ProvisionVolumeRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The controller's side of the node API: calls one node's agent over TCP with mutual TLS. The agent must present
 * a certificate from the CA that names this node; the controller presents its own.
 */
public final class RemoteNodeStorage implements NodeStorage, AutoCloseable {

    private final String nodeName;
    private final ManagedChannel channel;
    private final long deadlineSeconds;

    private RemoteNodeStorage(String nodeName, ManagedChannel channel, long deadlineSeconds) {
        this.nodeName = nodeName;
        this.channel = channel;
        this.deadlineSeconds = deadlineSeconds;
    }

    /**
     * @param nodeName the node (and the identity its agent's certificate must carry)
     * @param host     where its agent listens
     * @param port     the node API port
     * @param tls      the controller's certificate, key and the CA
     */
    public static RemoteNodeStorage connect(String nodeName, String host, int port, TlsMaterial tls,
                                            long deadlineSeconds) {
        return connect(nodeName, nodeName, host, port, tls, deadlineSeconds);
    }

    /**
     * @param serverName the identity the agent's certificate must carry: the node name with per-node
     *                   certificates, or the one shared name ({@code open-local-node-api}) the Helm chart issues
     */
    public static RemoteNodeStorage connect(String nodeName, String serverName, String host, int port,
                                            TlsMaterial tls, long deadlineSeconds) {
        SslContext ssl;
        try {
            ssl = GrpcSslContexts.forClient()
                    .keyManager(tls.key(), tls.chain().toArray(new java.security.cert.X509Certificate[0]))
                    .trustManager(tls.trustManager(serverName))
                    .build();
        } catch (SSLException e) {
            throw new StorageException.InvalidArgument("TLS: cannot build the client context: " + e.getMessage());
        }
        return open(nodeName, serverName, host, port, ssl, deadlineSeconds);
    }

    /** With the certificate and CA reread from {@code files} at each new TLS connection when they changed. */
    public static RemoteNodeStorage connect(String nodeName, String serverName, String host, int port,
                                            io.openlocal.csi.tls.TlsFiles files, long deadlineSeconds) {
        SslContext ssl;
        try {
            ssl = GrpcSslContexts.forClient()
                    .keyManager(files.keyManager())
                    .trustManager(files.trustManager(List.of(serverName)))
                    .build();
        } catch (SSLException e) {
            throw new StorageException.InvalidArgument("TLS: cannot build the client context: " + e.getMessage());
        }
        return open(nodeName, serverName, host, port, ssl, deadlineSeconds);
    }

    private static RemoteNodeStorage open(String nodeName, String serverName, String host, int port, SslContext ssl,
                                          long deadlineSeconds) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
                .sslContext(ssl)
                // Host-name checks compare with the expected server name, not the dialled address.
                .overrideAuthority(serverName)
                .build();
        return new RemoteNodeStorage(nodeName, channel, deadlineSeconds);
    }

    private NodeStorageGrpc.NodeStorageBlockingStub stub() {
        return NodeStorageGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    private <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (StatusRuntimeException e) {
            throw NodeApiErrors.fromStatus(e, nodeName);
        }
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public NodeStatus status() {
        return call(() -> {
            var status = stub().getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
            return new NodeStatus(status.getNodeName(), status.getBackendsList().stream()
                    .map(NodeApiProtos::backend).toList());
        });
    }

    @Override
    public List<PoolInfo> pools(Optional<PoolType> type) {
        return call(() -> stub().listPools(ListPoolsRequest.newBuilder().setType(type.map(PoolType::volumeType)
                .orElse("")).build()).getPoolsList().stream().map(NodeApiProtos::pool).toList());
    }

    @Override
    public ProvisionedVolume provision(ProvisionRequest request) {
        var builder = ProvisionVolumeRequest.newBuilder().setCsiName(request.csiName())
                .setType(request.type().volumeType()).setRequiredBytes(request.requiredBytes())
                .setLimitBytes(request.limitBytes()).setPool(request.pool().orElse(""))
                .setMediaType(request.mediaType().map(m -> m.label()).orElse(""))
                .putAllParameters(request.parameters()).putAllBackendParameters(request.backendParameters());
        request.source().ifPresent(s -> builder.setSource(NodeApiProtos.ref(s.ref())).setSourceIsSnapshot(s.snapshot()));
        return call(() -> NodeApiProtos.provisioned(stub().provisionVolume(builder.build())));
    }

    @Override
    public Optional<VolumeLookup> volume(VolumeRef ref) {
        return call(() -> {
            GetVolumeResponse answer = stub().getVolume(GetVolumeRequest.newBuilder().setRef(NodeApiProtos.ref(ref))
                    .build());
            if (!answer.getFound()) {
                return Optional.empty();
            }
            return Optional.of(new VolumeLookup(NodeApiProtos.volume(answer.getVolume()), answer.hasRecord()
                    ? Optional.of(NodeApiProtos.provisioned(answer.getRecord())) : Optional.empty()));
        });
    }

    @Override
    public List<ProvisionedVolume> volumes() {
        return call(() -> stub().listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList().stream()
                .map(NodeApiProtos::provisioned).toList());
    }

    @Override
    public ProvisionedVolume expand(VolumeRef ref, long newSizeBytes) {
        return call(() -> NodeApiProtos.provisioned(stub().expandVolume(ExpandVolumeRequest.newBuilder()
                .setRef(NodeApiProtos.ref(ref)).setNewSizeBytes(newSizeBytes).build())));
    }

    @Override
    public void delete(VolumeRef ref) {
        call(() -> stub().deleteVolume(DeleteVolumeRequest.newBuilder().setRef(NodeApiProtos.ref(ref)).build()));
    }

    @Override
    public SnapshotRecord snapshot(SnapshotRequest request) {
        return call(() -> NodeApiProtos.snapshot(stub().createSnapshot(
                io.openlocal.nodeapi.v1.CreateSnapshotRequest.newBuilder().setCsiName(request.csiName())
                        .setSource(NodeApiProtos.ref(request.source())).setSizeBytes(request.sizeBytes())
                        .putAllParameters(request.parameters()).build())));
    }

    @Override
    public void deleteSnapshot(VolumeRef ref) {
        call(() -> stub().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setRef(NodeApiProtos.ref(ref)).build()));
    }

    @Override
    public List<SnapshotRecord> snapshots() {
        return call(() -> stub().listSnapshots(ListSnapshotsRequest.getDefaultInstance()).getSnapshotsList().stream()
                .map(NodeApiProtos::snapshot).toList());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
