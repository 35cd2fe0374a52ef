package io.openlocal.extender.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1CSIPersistentVolumeSource;
import io.kubernetes.client.openapi.models.V1NodeSelectorRequirement;
import io.kubernetes.client.openapi.models.V1NodeSelectorTerm;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.openapi.models.V1Volume;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.extender.wire.Json;
import io.openlocal.kube.OpenLocalNames;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.catalog.PodVolumes;
import io.openlocal.scheduling.claim.VolumeContextKeys;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects (client-java models and the NLS CRD) into the scheduling module's plain records. The only
 * place that knows both sides.
 */
public final class Translate {

    /** Filesystems Open-Local accepts on a MountPoint (its {@code SupportedFS}). */
    private static final Set<String> MOUNT_FILESYSTEMS = Set.of("ext3", "ext4", "xfs");
    private static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

    private Translate() {
    }

    /**
     * What an NLS offers: the filtered VGs (capacity = {@code allocatable}, as Open-Local), SPDK lvstores
     * (capacity = {@code total}, unit = cluster size), devices and mount points. Unlike v0.8.0, read-only disks,
     * disks whose condition is {@code DiskFault}, and mount points that are read-only or of another filesystem than
     * ext3/ext4/xfs are left out. Null when the agent has not reported a status.
     */
    public static NodeCapacity nodeCapacity(NodeLocalStorage nls) {
        NodeLocalStorageStatus status = nls.getStatus();
        if (status == null || status.nodeStorageInfo() == null || status.filteredStorageInfo() == null) {
            return null;
        }
        String node = nls.getMetadata().getName();
        NodeLocalStorageStatus.NodeStorageInfo info = status.nodeStorageInfo();
        NodeLocalStorageStatus.FilteredStorageInfo filtered = status.filteredStorageInfo();

        Map<String, NodeLocalStorageStatus.VolumeGroup> vgs = new HashMap<>();
        for (NodeLocalStorageStatus.VolumeGroup vg : info.volumeGroups()) {
            vgs.put(vg.name(), vg);
        }
        List<SharedPool> volumeGroups = new ArrayList<>();
        for (String name : unique(filtered.volumeGroups())) {
            NodeLocalStorageStatus.VolumeGroup vg = vgs.get(name);
            if (vg != null) {
                volumeGroups.add(new SharedPool(name, nonNegative(vg.allocatable())));
            }
        }

        Map<String, NodeLocalStorageStatus.SpdkStore> stores = new HashMap<>();
        for (NodeLocalStorageStatus.SpdkStore s : info.spdkStores()) {
            stores.put(s.name(), s);
        }
        List<SharedPool> spdk = new ArrayList<>();
        for (String name : unique(filtered.spdkStores())) {
            NodeLocalStorageStatus.SpdkStore s = stores.get(name);
            if (s != null && !"DiskFault".equals(s.condition())) {
                long unit = s.clusterSize() == null || s.clusterSize() < 1 ? 1 : s.clusterSize();
                spdk.add(new SharedPool(name, nonNegative(s.total()), unit));
            }
        }

        Map<String, NodeLocalStorageStatus.DeviceInfo> devicesByName = new HashMap<>();
        for (NodeLocalStorageStatus.DeviceInfo d : info.deviceInfo()) {
            devicesByName.put(d.name(), d);
        }
        List<ExclusiveDisk> devices = new ArrayList<>();
        for (String name : unique(filtered.devices())) {
            NodeLocalStorageStatus.DeviceInfo d = devicesByName.get(name);
            if (d != null && !Boolean.TRUE.equals(d.readOnly()) && !"DiskFault".equals(d.condition())) {
                devices.add(new ExclusiveDisk(name, nonNegative(d.total()), media(d.mediaType())));
            }
        }

        Map<String, NodeLocalStorageStatus.MountPointInfo> mountsByName = new HashMap<>();
        for (NodeLocalStorageStatus.MountPointInfo m : info.mountPoints()) {
            mountsByName.put(m.name(), m);
        }
        List<ExclusiveDisk> mounts = new ArrayList<>();
        for (String name : unique(filtered.mountPoints())) {
            NodeLocalStorageStatus.MountPointInfo m = mountsByName.get(name);
            if (m == null || Boolean.TRUE.equals(m.readOnly()) || !MOUNT_FILESYSTEMS.contains(m.fsType())
                    || "DiskFault".equals(m.condition())) {
                continue;
            }
            NodeLocalStorageStatus.DeviceInfo under = m.device() == null ? null : devicesByName.get(m.device());
            mounts.add(new ExclusiveDisk(name, nonNegative(m.total()), under == null ? MediaType.UNKNOWN
                    : media(under.mediaType())));
        }
        return new NodeCapacity(node, volumeGroups, spdk, devices, mounts);
    }

    /** What the scheduler needs of a PVC. */
    public static ClaimRecord claim(V1PersistentVolumeClaim pvc) {
        V1ObjectMeta meta = pvc.getMetadata();
        V1PersistentVolumeClaimSpec spec = pvc.getSpec();
        String className = spec == null ? null : spec.getStorageClassName();
        long requested = 0;
        if (spec != null && spec.getResources() != null && spec.getResources().getRequests() != null) {
            requested = bytes(spec.getResources().getRequests().get("storage"));
        }
        boolean bound = (pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase()))
                || (spec != null && spec.getVolumeName() != null && !spec.getVolumeName().isEmpty());
        String selected = meta.getAnnotations() == null ? null
                : meta.getAnnotations().get(OpenLocalNames.SELECTED_NODE_ANNOTATION);
        return new ClaimRecord(key(meta), className, requested, bound, selected);
    }

    /** What the scheduler needs of a StorageClass (parameters parsed once, here). */
    public static ClassRecord storageClass(V1StorageClass sc) {
        Map<String, String> annotations = sc.getMetadata().getAnnotations();
        boolean isDefault = annotations != null && "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION));
        return ClassRecord.of(sc.getMetadata().getName(), sc.getProvisioner(), isDefault, OpenLocalNames.DRIVER_NAME,
                sc.getParameters());
    }

    /** A pod's claim-backed volumes. */
    public static PodVolumes pod(V1Pod pod) {
        V1ObjectMeta meta = pod.getMetadata();
        List<PodVolumes.Source> sources = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getVolumes() != null) {
            for (V1Volume v : pod.getSpec().getVolumes()) {
                if (v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName() != null) {
                    sources.add(new PodVolumes.ClaimSource(v.getName(), v.getPersistentVolumeClaim().getClaimName()));
                } else if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null) {
                    V1PersistentVolumeClaimSpec spec = v.getEphemeral().getVolumeClaimTemplate().getSpec();
                    long requested = spec == null || spec.getResources() == null
                            || spec.getResources().getRequests() == null ? 0
                            : bytes(spec.getResources().getRequests().get("storage"));
                    sources.add(new PodVolumes.EphemeralSource(v.getName(),
                            spec == null ? null : spec.getStorageClassName(), requested));
                }
            }
        }
        return new PodVolumes(namespace(meta), meta.getName(), sources);
    }

    /**
     * The confirmed allocation an Open-Local PV stands for, or null when the PV is not Open-Local's, is still
     * Pending, or does not say where it lives. Reads the attributes Open-Local v0.8.0 writes (volumeType, vgName,
     * Device, MountPoint; or its {@code csi.aliyun.com/pv-allocated} annotation) and the node from the PV's
     * {@code kubernetes.io/hostname} node affinity.
     */
    public static Allocation volume(V1PersistentVolume pv) {
        if (pv.getSpec() == null || pv.getSpec().getCsi() == null) {
            return null;
        }
        V1CSIPersistentVolumeSource csi = pv.getSpec().getCsi();
        if (!OpenLocalNames.DRIVER_NAME.equals(csi.getDriver())) {
            return null;
        }
        if (pv.getStatus() != null && "Pending".equals(pv.getStatus().getPhase())) {
            return null;
        }
        Map<String, String> attributes = csi.getVolumeAttributes() == null ? Map.of() : csi.getVolumeAttributes();
        Map<String, String> allocated = allocatedAnnotation(pv.getMetadata());
        String typeText = attributes.getOrDefault(VolumeContextKeys.VOLUME_TYPE, allocated.get("volumeType"));
        VolumeKind kind = VolumeKind.fromWireName(typeText);
        String node = node(pv);
        if (kind == null || node == null) {
            return null;
        }
        String pool = switch (kind) {
            case LVM, SPDK -> first(allocated.get("vgName"), attributes.get(VolumeContextKeys.VG_NAME));
            case DEVICE -> first(allocated.get("deviceName"), attributes.get(VolumeContextKeys.DEVICE));
            case MOUNT_POINT -> attributes.get(VolumeContextKeys.MOUNT_POINT);
        };
        if (pool == null || pool.isEmpty()) {
            return null;
        }
        long bytes = pv.getSpec().getCapacity() == null ? 0 : bytes(pv.getSpec().getCapacity().get("storage"));
        String name = pv.getMetadata().getName();
        return new Allocation(claimKeyOf(pv), "", node, kind, pool, bytes, bytes, Allocation.Status.CONFIRMED, name, 0);
    }

    /** The ledger key of a PV's claim: {@code namespace/name} from its claimRef, or {@code volume:<pv>}. */
    public static String claimKeyOf(V1PersistentVolume pv) {
        var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
        if (ref == null || ref.getName() == null) {
            return "volume:" + pv.getMetadata().getName();
        }
        return (ref.getNamespace() == null ? "default" : ref.getNamespace()) + "/" + ref.getName();
    }

    public static String key(V1ObjectMeta meta) {
        return namespace(meta) + "/" + meta.getName();
    }

    private static String namespace(V1ObjectMeta meta) {
        return meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
    }

    private static String node(V1PersistentVolume pv) {
        var affinity = pv.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null || affinity.getRequired().getNodeSelectorTerms() == null) {
            return null;
        }
        for (V1NodeSelectorTerm term : affinity.getRequired().getNodeSelectorTerms()) {
            if (term.getMatchExpressions() == null) {
                continue;
            }
            for (V1NodeSelectorRequirement r : term.getMatchExpressions()) {
                if (OpenLocalNames.TOPOLOGY_KEY.equals(r.getKey()) && "In".equals(r.getOperator())
                        && r.getValues() != null && !r.getValues().isEmpty() && !r.getValues().getFirst().isEmpty()) {
                    return r.getValues().getFirst();
                }
            }
        }
        return null;
    }

    private static Map<String, String> allocatedAnnotation(V1ObjectMeta meta) {
        String json = meta.getAnnotations() == null ? null
                : meta.getAnnotations().get(VolumeContextKeys.ALLOCATED_ANNOTATION);
        if (json == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        try {
            JsonNode node = Json.mapper().readTree(json);
            for (String f : List.of("vgName", "deviceName", "volumeType")) {
                JsonNode v = node.get(f);
                if (v != null && v.isTextual() && !v.textValue().isEmpty()) {
                    out.put(f, v.textValue());
                }
            }
        } catch (Exception e) {
            return Map.of(); // a broken annotation: fall back to the CSI attributes
        }
        return out;
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static MediaType media(String label) {
        MediaType m = MediaType.fromLabel(label);
        return m == null ? MediaType.UNKNOWN : m;
    }

    private static long nonNegative(Long value) {
        return value == null || value < 0 ? 0 : value;
    }

    /** A storage quantity in whole bytes, rounded up; 0 when absent or not positive. */
    static long bytes(Quantity q) {
        if (q == null || q.getNumber() == null || q.getNumber().signum() <= 0) {
            return 0;
        }
        BigDecimal n = q.getNumber();
        if (n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        return n.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static List<String> unique(List<String> names) {
        return new ArrayList<>(new LinkedHashSet<>(names));
    }
}
