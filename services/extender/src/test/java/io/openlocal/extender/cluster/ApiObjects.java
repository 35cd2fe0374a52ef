package io.openlocal.extender.cluster;

import java.util.List;
import java.util.stream.Collectors;

/** Kubernetes objects as JSON, for writing into the API emulator in tests. */
public final class ApiObjects {

    public static final long GI = 1L << 30;

    private ApiObjects() {
    }

    public static String node(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + "\"kubernetes.io/hostname\":\"" + name + "\"}},\"status\":{\"capacity\":{\"cpu\":\"8\"}}}";
    }

    /** An NLS whose agent reported one VG of {@code vgGib} and the given devices ({@code path:gib:media}). */
    public static String nls(String node, long vgGib, String... devices) {
        String deviceInfo = List.of(devices).stream().map(d -> d.split(":")).map(d -> "{\"name\":\"" + d[0]
                + "\",\"mediaType\":\"" + d[2] + "\",\"readOnly\":false,\"total\":" + Long.parseLong(d[1]) * GI
                + ",\"condition\":\"DiskReady\"}").collect(Collectors.joining(","));
        String deviceNames = List.of(devices).stream().map(d -> "\"" + d.split(":")[0] + "\"")
                .collect(Collectors.joining(","));
        return "{\"apiVersion\":\"csi.aliyun.com/v1alpha1\",\"kind\":\"NodeLocalStorage\",\"metadata\":{\"name\":\""
                + node + "\"},\"spec\":{\"nodeName\":\"" + node + "\"},\"status\":" + nlsStatus(vgGib, deviceInfo,
                deviceNames) + "}";
    }

    public static String nlsStatus(long vgGib, String deviceInfo, String deviceNames) {
        return "{\"nodeStorageInfo\":{\"deviceInfo\":[" + deviceInfo + "],\"volumeGroups\":[{\"name\":\"vg0\","
                + "\"physicalVolumes\":[\"/dev/vdb\"],\"total\":" + (vgGib + 1) * GI + ",\"available\":" + vgGib * GI
                + ",\"allocatable\":" + vgGib * GI + ",\"condition\":\"DiskReady\"}],\"phase\":\"Running\"},"
                + "\"filteredStorageInfo\":{\"volumeGroups\":[\"vg0\"],\"devices\":[" + deviceNames + "]}}";
    }

    public static String storageClass(String name, String volumeType, String extra) {
        return "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"" + name
                + "\"},\"provisioner\":\"local.csi.aliyun.com\",\"parameters\":{\"volumeType\":\"" + volumeType + "\""
                + extra + "},\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}";
    }

    public static String pvc(String namespace, String name, String storageClass, long gib) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
                + "\"storageClassName\":\"" + storageClass + "\",\"resources\":{\"requests\":{\"storage\":\"" + gib
                + "Gi\"}}},\"status\":{\"phase\":\"Pending\"}}";
    }

    public static String pod(String namespace, String name, String... claims) {
        String volumes = java.util.stream.IntStream.range(0, claims.length)
                .mapToObj(i -> "{\"name\":\"v" + i + "\",\"persistentVolumeClaim\":{\"claimName\":\"" + claims[i] + "\"}}")
                .collect(Collectors.joining(","));
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\"},\"spec\":{\"schedulerName\":\"default-scheduler\",\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}],\"volumes\":[" + volumes + "]},\"status\":{\"phase\":\"Pending\"}}";
    }

    /** A PV as Open-Local's CSI plugin leaves it: driver, volumeType and vgName/Device attributes, node affinity. */
    public static String pv(String name, String namespace, String claim, String node, String volumeType,
                            String attribute, String pool, long bytes) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"capacity\":{\"storage\":\"" + bytes + "\"},\"accessModes\":[\"ReadWriteOnce\"],"
                + "\"claimRef\":{\"namespace\":\"" + namespace + "\",\"name\":\"" + claim + "\"},"
                + "\"csi\":{\"driver\":\"local.csi.aliyun.com\",\"volumeHandle\":\"" + name + "\",\"volumeAttributes\":"
                + "{\"volumeType\":\"" + volumeType + "\",\"" + attribute + "\":\"" + pool + "\"}},"
                + "\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":"
                + "\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"" + node + "\"]}]}]}},"
                + "\"persistentVolumeReclaimPolicy\":\"Delete\",\"storageClassName\":\"open-local-lvm\"},"
                + "\"status\":{\"phase\":\"Bound\"}}";
    }

    public static String selectedNodePatch(String node) {
        return "{\"metadata\":{\"annotations\":{\"volume.kubernetes.io/selected-node\":"
                + (node == null ? "null" : "\"" + node + "\"") + "}}}";
    }

    public static String boundPatch(String pvName) {
        return "{\"spec\":{\"volumeName\":\"" + pvName + "\"},\"status\":{\"phase\":\"Bound\"}}";
    }
}
