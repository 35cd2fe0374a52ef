package io.openlocal.csi.claim;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The PersistentVolumeClaim a CreateVolume is for. external-provisioner names it in the request's parameters when
 * it runs with {@code --extra-create-metadata} (the chart sets it); these keys are the sidecar's, so they are not
 * StorageClass parameters and are never recorded with a volume.
 *
 * @param namespace the claim's namespace (a DNS label)
 * @param name      the claim's name (a DNS subdomain)
 */
public record ClaimRef(String namespace, String name) {

    public static final String PVC_NAME = "csi.storage.k8s.io/pvc/name";
    public static final String PVC_NAMESPACE = "csi.storage.k8s.io/pvc/namespace";
    public static final String PV_NAME = "csi.storage.k8s.io/pv/name";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public ClaimRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a Kubernetes namespace name");
        }
        if (!DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "' is not a Kubernetes object name");
        }
    }

    /**
     * The claim named in CreateVolume parameters; empty when the provisioner does not pass it (no
     * {@code --extra-create-metadata}, or a CO other than Kubernetes) or passes something that is not a claim's
     * name, since the claim only serves to report on it and must never fail the call.
     */
    public static Optional<ClaimRef> of(Map<String, String> parameters) {
        String namespace = parameters.get(PVC_NAMESPACE);
        String name = parameters.get(PVC_NAME);
        if (namespace == null || name == null || !DNS_LABEL.matcher(namespace).matches()
                || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ClaimRef(namespace, name));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
