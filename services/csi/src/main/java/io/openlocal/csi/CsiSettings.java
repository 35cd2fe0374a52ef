package io.openlocal.csi;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the CSI services are told at start-up.
 *
 * @param driverName             plugin name reported by GetPluginInfo ({@code local.csi.aliyun.com})
 * @param vendorVersion          version reported by GetPluginInfo
 * @param nodeName               this node's name: CSI node id and topology value (node service only)
 * @param topologyKey            the topology segment key ({@code kubernetes.io/hostname})
 * @param kubeletDir             staging and target paths must lie under this directory
 * @param maxVolumesPerNode      reported by NodeGetInfo; 0 = no limit
 * @param defaultVolumeSizeBytes size of a volume whose request gives no capacity range
 */
public record CsiSettings(String driverName, String vendorVersion, String nodeName, String topologyKey,
                          Path kubeletDir, long maxVolumesPerNode, long defaultVolumeSizeBytes) {

    /** The specification's rule for plugin names: domain-name notation, at most 63 characters. */
    private static final Pattern DRIVER_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");

    /** Kubernetes node names are DNS subdomains. */
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    public static final Path DEFAULT_KUBELET_DIR = Path.of("/var/lib/kubelet");

    public CsiSettings {
        Objects.requireNonNull(vendorVersion, "vendorVersion");
        Objects.requireNonNull(topologyKey, "topologyKey");
        if (driverName == null || !DRIVER_NAME.matcher(driverName).matches()) {
            throw new StorageException.InvalidArgument("driverName: '" + driverName
                    + "' is not a domain-style name of at most 63 characters");
        }
        requireNodeName("nodeName", nodeName);
        if (kubeletDir == null || !kubeletDir.isAbsolute() || !kubeletDir.normalize().equals(kubeletDir)
                || kubeletDir.getNameCount() == 0) {
            throw new StorageException.InvalidArgument("kubeletDir: '" + kubeletDir
                    + "' must be an absolute, normalised directory other than /");
        }
        if (maxVolumesPerNode < 0) {
            throw new StorageException.InvalidArgument("maxVolumesPerNode: must not be negative");
        }
        Sizes.requirePositive("defaultVolumeSizeBytes", defaultVolumeSizeBytes);
    }

    /** Validates a Kubernetes node name (DNS subdomain, lower case). */
    public static String requireNodeName(String field, String value) {
        if (value == null || !NODE_NAME.matcher(value).matches()) {
            throw new StorageException.InvalidArgument(field + ": '" + value
                    + "' is not a node name (lower-case letters, digits, '-' and '.', at most 253 characters)");
        }
        return value;
    }
}
