package io.openlocal.kube;

/** Names users and other components see, kept as Alibaba's Open-Local v0.8.0 has them. Defined once here. */
public final class OpenLocalNames {

    /** CSI driver name and StorageClass provisioner. */
    public static final String DRIVER_NAME = "local.csi.aliyun.com";

    /** Topology segment key; its value is the node name. */
    public static final String TOPOLOGY_KEY = "kubernetes.io/hostname";

    /** Set on a PVC by kube-scheduler when a WaitForFirstConsumer claim's node is chosen. */
    public static final String SELECTED_NODE_ANNOTATION = "volume.kubernetes.io/selected-node";

    /** The provisioner annotations kube-controller-manager puts on a claim. */
    public static final String STORAGE_PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_PROVISIONER_ANNOTATION = "volume.beta.kubernetes.io/storage-provisioner";

    private OpenLocalNames() {
    }
}
