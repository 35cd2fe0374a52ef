package io.openlocal.csi;

import io.grpc.BindableService;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.filesystem.FilesystemResizer;
import io.openlocal.backend.filesystem.FilesystemStats;
import io.openlocal.backend.filesystem.Formatter;
import io.openlocal.backend.filesystem.Mounter;
import io.openlocal.csi.controller.ControllerService;
import io.openlocal.csi.identity.IdentityService;
import io.openlocal.csi.node.NodeService;
import io.openlocal.csi.node.PodIoLimits;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.volume.VolumeLocks;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds the CSI services for the roles a process plays. Wiring only. */
public final class CsiServices {

    private CsiServices() {
    }

    /** The Node service of an agent, with the filesystem toolkit on the given runner. */
    public static NodeService node(CsiSettings settings, LocalNodeStorage local, VolumeLocks locks,
                                   CommandRunner runner, PodIoLimits ioLimits) {
        FilesystemStats stats = new FilesystemStats(runner);
        return new NodeService(settings, local, local, locks, new Formatter(runner), new Mounter(runner), stats,
                new FilesystemResizer(runner), ioLimits);
    }

    /**
     * Identity, Controller and Node in one process, all on one node (standalone mode): the controller's node API
     * is the in-process {@code local}, and volumes without accessibility requirements go to this node.
     */
    public static List<BindableService> standalone(CsiSettings settings, LocalNodeStorage local,
                                                   CommandRunner runner) {
        return standalone(settings, local, runner, PodIoLimits.standard());
    }

    /** {@link #standalone(CsiSettings, LocalNodeStorage, CommandRunner)} with iops/bps set through {@code ioLimits}. */
    public static List<BindableService> standalone(CsiSettings settings, LocalNodeStorage local,
                                                   CommandRunner runner, PodIoLimits ioLimits) {
        VolumeLocks locks = new VolumeLocks();
        NodeDirectory nodes = NodeDirectory.of(List.of(local), Optional.of(local.nodeName()));
        return List.of(new IdentityService(settings, true, local::status),
                new ControllerService(settings, nodes, locks, () -> local.status().backends().stream()
                        .flatMap(b -> b.capabilities().stream()).collect(Collectors.toSet())),
                node(settings, local, locks, runner, ioLimits));
    }

    /** Identity and Node of a cluster node plugin; the controller reaches {@code local} over the node API. */
    public static List<BindableService> node(CsiSettings settings, LocalNodeStorage local, CommandRunner runner,
                                             PodIoLimits ioLimits) {
        return List.of(new IdentityService(settings, false, local::status),
                node(settings, local, new VolumeLocks(), runner, ioLimits));
    }

    /** Identity and Controller of the cluster's CSI controller: every node through {@code nodes}. */
    public static List<BindableService> controller(CsiSettings settings, NodeDirectory nodes) {
        return List.of(new IdentityService(settings, true,
                        () -> new io.openlocal.csi.nodeapi.NodeStatus(settings.nodeName(), List.of())),
                new ControllerService(settings, nodes, new VolumeLocks(), ControllerService.allFeatures()));
    }
}
