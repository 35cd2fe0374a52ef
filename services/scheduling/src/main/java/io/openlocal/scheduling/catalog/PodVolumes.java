package io.openlocal.scheduling.catalog;

import java.util.List;
import java.util.Objects;

/** The volumes of a pod that may involve claims: what the scheduler needs of a Pod. */
public record PodVolumes(String namespace, String name, List<Source> volumes) {

    public PodVolumes {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        volumes = List.copyOf(volumes);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    /** {@code namespace/claimName} of every claim the pod uses (ephemeral ones by the name they get). */
    public List<String> claimKeys() {
        return volumes.stream().map(v -> namespace + "/" + v.claimName(name)).toList();
    }

    /** A pod volume backed by a claim. */
    public sealed interface Source {
        String volumeName();

        /** The PVC's name. */
        String claimName(String podName);
    }

    /** {@code persistentVolumeClaim.claimName}. */
    public record ClaimSource(String volumeName, String claimName) implements Source {
        public ClaimSource {
            Objects.requireNonNull(volumeName, "volumeName");
            Objects.requireNonNull(claimName, "claimName");
        }

        @Override
        public String claimName(String podName) {
            return claimName;
        }
    }

    /**
     * A generic ephemeral volume: its PVC is named {@code <pod>-<volume>}; until that PVC exists the template
     * says what it will ask for.
     *
     * @param storageClassName the template's class ("" = the default class)
     * @param requestedBytes   the template's storage request
     */
    public record EphemeralSource(String volumeName, String storageClassName, long requestedBytes) implements Source {
        public EphemeralSource {
            Objects.requireNonNull(volumeName, "volumeName");
            storageClassName = storageClassName == null ? "" : storageClassName;
        }

        @Override
        public String claimName(String podName) {
            return podName + "-" + volumeName;
        }
    }
}
