package io.openlocal.testinfra.csi;

import io.grpc.Channel;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a CSI plugin under test offers {@link CsiConformanceSuite}: a channel over its real socket, where the
 * kubelet directory is, and StorageClass parameters for the volumes the suite makes.
 */
public interface CsiTarget {

    /** A channel to the plugin's CSI socket. */
    Channel channel();

    /** The plugin's kubelet directory; the suite makes staging and target paths under it. */
    Path kubeletDir();

    /** Parameters of a volume the node can stage, format and mount (for example a Device volume on a loop). */
    Map<String, String> mountableParameters();

    /** The size to ask for such a volume. */
    long mountableBytes();

    /**
     * Parameters of a volume that can be expanded through the controller (for example LVM); the suite does not
     * stage it.
     */
    Map<String, String> expandableParameters();

    /** The size to ask for such a volume. */
    long expandableBytes();

    /**
     * A description of everything the plugin could change on disk (block device signatures, mounts under the
     * kubelet directory, logical volumes, its state files). Two equal answers mean nothing changed.
     */
    String diskState();
}
