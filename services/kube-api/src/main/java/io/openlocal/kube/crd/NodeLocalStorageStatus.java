package io.openlocal.kube.crd;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the node's agent found and may be allocated; written only by the agent (status subresource).
 *
 * @param nodeStorageInfo     everything discovered on the node
 * @param filteredStorageInfo the names that passed the spec's listConfig
 * @param summary             totals for {@code kubectl get nls} columns (ours; ignored by Open-Local)
 * @param conditions          the agent's findings about the spec and the node, Kubernetes-style (ours; ignored by
 *                            Open-Local): {@link Condition#SPEC_VALID}, {@link Condition#RESOURCES_INITIALIZED},
 *                            {@link Condition#DISCOVERED}
 */
public record NodeLocalStorageStatus(NodeStorageInfo nodeStorageInfo, FilteredStorageInfo filteredStorageInfo,
                                     Summary summary, List<Condition> conditions) {

    public NodeLocalStorageStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A status without conditions (the shape before conditions were added). */
    public NodeLocalStorageStatus(NodeStorageInfo nodeStorageInfo, FilteredStorageInfo filteredStorageInfo,
                                  Summary summary) {
        this(nodeStorageInfo, filteredStorageInfo, summary, List.of());
    }

    /** The condition of that type, or null. */
    public Condition condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
    }

    /**
     * One finding, as Kubernetes conditions are shaped ({@code metav1.Condition}).
     *
     * @param type               what the condition is about
     * @param status             {@code True}, {@code False} or {@code Unknown}
     * @param reason             a CamelCase word for programs
     * @param message            a sentence for people; names the field or object at fault
     * @param lastTransitionTime when {@code status} last changed
     * @param observedGeneration the NLS generation the agent acted on
     */
    public record Condition(String type, String status, String reason, String message,
                            OffsetDateTime lastTransitionTime, Long observedGeneration) {

        /** The spec's listConfig, resourceToBeInited and spdkConfig are usable. */
        public static final String SPEC_VALID = "SpecValid";
        /** Everything resourceToBeInited lists exists on the node. */
        public static final String RESOURCES_INITIALIZED = "ResourcesInitialized";
        /** The last discovery pass read every backend the node uses. */
        public static final String DISCOVERED = "Discovered";

        /**
         * Reason of {@link #RESOURCES_INITIALIZED} (status {@code Unknown}) while the agent creates a pool; the
         * message is the current step ({@code initialising VG pool0: vgcreate pool0 (3/3)}).
         */
        public static final String INITIALIZING = "Initializing";

        public static final String TRUE = "True";
        public static final String FALSE = "False";
        public static final String UNKNOWN = "Unknown";
    }

    /** Discovered storage of a node. */
    public record NodeStorageInfo(List<DeviceInfo> deviceInfo, List<VolumeGroup> volumeGroups,
                                  List<MountPointInfo> mountPoints, List<SpdkStore> spdkStores, String phase,
                                  StorageState state) {
        public NodeStorageInfo {
            deviceInfo = deviceInfo == null ? List.of() : List.copyOf(deviceInfo);
            volumeGroups = volumeGroups == null ? List.of() : List.copyOf(volumeGroups);
            mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
            spdkStores = spdkStores == null ? List.of() : List.copyOf(spdkStores);
        }
    }

    /**
     * A raw block device.
     *
     * @param condition {@code DiskReady}, {@code DiskFull} or {@code DiskFault}
     */
    public record DeviceInfo(String name, String mediaType, Boolean readOnly, Long total, String condition) {
    }

    /** An LVM volume group, with Open-Local's total/available/allocatable figures in bytes. */
    public record VolumeGroup(String name, List<String> physicalVolumes, List<LogicalVolume> logicalVolumes,
                              Long total, Long available, Long allocatable, String condition) {
        public VolumeGroup {
            physicalVolumes = physicalVolumes == null ? List.of() : List.copyOf(physicalVolumes);
            logicalVolumes = logicalVolumes == null ? List.of() : List.copyOf(logicalVolumes);
        }
    }

    /** An LVM logical volume. */
    public record LogicalVolume(String name, String vgname, Long total, Boolean readOnly, String condition) {
    }

    /** A mounted filesystem offered for MountPoint volumes. */
    public record MountPointInfo(String name, Long total, Long available, String fsType, Boolean isBind,
                                 List<String> options, Boolean readOnly, String condition, String device) {
        public MountPointInfo {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** An SPDK lvstore (ours). Sizes in bytes; {@code clusterSize} is the allocation unit. */
    public record SpdkStore(String name, String uuid, String baseBdev, Long total, Long available, Long clusterSize,
                            String condition) {
    }

    /** The agent's last report. */
    public record StorageState(String type, String status, String reason, String message,
                               OffsetDateTime lastHeartbeatTime, OffsetDateTime lastTransitionTime) {
    }

    /** Names that passed the spec's listConfig, and so may be allocated. */
    public record FilteredStorageInfo(List<String> volumeGroups, List<String> mountPoints, List<String> devices,
                                      List<String> spdkStores, UpdateStatusInfo updateStatusInfo) {
        public FilteredStorageInfo {
            volumeGroups = volumeGroups == null ? List.of() : List.copyOf(volumeGroups);
            mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
            devices = devices == null ? List.of() : List.copyOf(devices);
            spdkStores = spdkStores == null ? List.of() : List.copyOf(spdkStores);
        }
    }

    /** When and how the filtered view was last updated. */
    public record UpdateStatusInfo(OffsetDateTime lastUpdateTime, String updateStatus, String reason) {
    }

    /** Totals for printer columns: VG count, free bytes across allowed VGs (a quantity), free devices. */
    public record Summary(Integer volumeGroups, String free, Integer freeDevices) {
    }
}
