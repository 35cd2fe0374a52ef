package io.openlocal.csi.identity;

import com.google.protobuf.BoolValue;
import io.grpc.stub.StreamObserver;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.grpc.Calls;
import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.nodeapi.BackendStatus;
import io.openlocal.csi.nodeapi.NodeStatus;
import io.openlocal.csi.v1.GetPluginCapabilitiesRequest;
import io.openlocal.csi.v1.GetPluginCapabilitiesResponse;
import io.openlocal.csi.v1.GetPluginInfoRequest;
import io.openlocal.csi.v1.GetPluginInfoResponse;
import io.openlocal.csi.v1.IdentityGrpc;
import io.openlocal.csi.v1.PluginCapability;
import io.openlocal.csi.v1.ProbeRequest;
import io.openlocal.csi.v1.ProbeResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * The CSI Identity service: the plugin's name and version, what it offers, and whether it is healthy. Probe asks
 * the backends: a backend that cannot work is FAILED_PRECONDITION naming what is missing (the CO restarts or
 * alerts); features a backend lacks on this node (device-mapper) do not make it unhealthy.
 */
public final class IdentityService extends IdentityGrpc.IdentityImplBase {

    private final CsiSettings settings;
    private final boolean controller;
    private final Supplier<NodeStatus> status;

    /**
     * @param controller whether this process serves the Controller service (reported as CONTROLLER_SERVICE)
     * @param status     the backends' health, read on every Probe
     */
    public IdentityService(CsiSettings settings, boolean controller, Supplier<NodeStatus> status) {
        this.settings = settings;
        this.controller = controller;
        this.status = status;
    }

    @Override
    public void getPluginInfo(GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> observer) {
        Calls.unary("GetPluginInfo", observer, () -> GetPluginInfoResponse.newBuilder()
                .setName(settings.driverName())
                .setVendorVersion(settings.vendorVersion())
                .putManifest("implementation", "open-local-java")
                .build());
    }

    @Override
    public void getPluginCapabilities(GetPluginCapabilitiesRequest request,
                                      StreamObserver<GetPluginCapabilitiesResponse> observer) {
        Calls.unary("GetPluginCapabilities", observer, () -> {
            GetPluginCapabilitiesResponse.Builder answer = GetPluginCapabilitiesResponse.newBuilder();
            if (controller) {
                answer.addCapabilities(service(PluginCapability.Service.Type.CONTROLLER_SERVICE));
            }
            answer.addCapabilities(service(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS));
            answer.addCapabilities(PluginCapability.newBuilder().setVolumeExpansion(
                    PluginCapability.VolumeExpansion.newBuilder().setType(PluginCapability.VolumeExpansion.Type.ONLINE)));
            return answer.build();
        });
    }

    private static PluginCapability service(PluginCapability.Service.Type type) {
        return PluginCapability.newBuilder().setService(PluginCapability.Service.newBuilder().setType(type)).build();
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> observer) {
        Calls.unary("Probe", observer, () -> {
            NodeStatus now = status.get();
            List<String> broken = now.backends().stream().filter(b -> NodeStatus.gates(b) && !b.health().ready())
                    .map(IdentityService::describe).toList();
            if (!broken.isEmpty()) {
                throw Errors.failedPrecondition("backends not ready on " + now.nodeName() + ": "
                        + String.join("; ", broken));
            }
            return ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build();
        });
    }

    private static String describe(BackendStatus backend) {
        return backend.type().volumeType() + ": " + backend.health().message()
                + (backend.health().missing().isEmpty() ? "" : " (missing " + backend.health().missing() + ")");
    }
}
