package io.openlocal.scheduling.catalog;

import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims, classes and pods the extender knows (fed from the API server's informers), and the one place
 * that turns a pod into the claims Open-Local must place. Lock-free maps; records are immutable.
 */
public final class ClaimCatalog {

    private final ConcurrentHashMap<String, ClaimRecord> claims = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClassRecord> classes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PodVolumes> pods = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> podOfClaim = new ConcurrentHashMap<>();

    public void putClaim(ClaimRecord claim) {
        claims.put(claim.key(), claim);
    }

    public ClaimRecord removeClaim(String key) {
        return claims.remove(key);
    }

    public ClaimRecord claim(String key) {
        return claims.get(key);
    }

    public List<ClaimRecord> claims() {
        return List.copyOf(claims.values());
    }

    public void putClass(ClassRecord storageClass) {
        classes.put(storageClass.name(), storageClass);
    }

    public void removeClass(String name) {
        classes.remove(name);
    }

    public ClassRecord storageClass(String name) {
        return classes.get(name);
    }

    /** Remembers a pod that uses claims (pods without claims are not kept). */
    public void putPod(PodVolumes pod) {
        if (pod.volumes().isEmpty()) {
            removePod(pod.key());
            return;
        }
        PodVolumes before = pods.put(pod.key(), pod);
        if (before != null) {
            for (String claim : before.claimKeys()) {
                podOfClaim.remove(claim, before.key());
            }
        }
        for (String claim : pod.claimKeys()) {
            podOfClaim.put(claim, pod.key());
        }
    }

    public PodVolumes removePod(String podKey) {
        PodVolumes before = pods.remove(podKey);
        if (before != null) {
            for (String claim : before.claimKeys()) {
                podOfClaim.remove(claim, podKey);
            }
        }
        return before;
    }

    /** The pod that uses the claim, or null. */
    public PodVolumes podUsing(String claimKey) {
        String podKey = podOfClaim.get(claimKey);
        return podKey == null ? null : pods.get(podKey);
    }

    /** Sorts a pod's claims into ours-and-pending, problems, and skipped. */
    public PodResolution resolve(PodVolumes pod) {
        List<ClaimRequest> ours = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (PodVolumes.Source source : pod.volumes()) {
            String key = pod.namespace() + "/" + source.claimName(pod.name());
            ClaimRecord claim = claims.get(key);
            String className;
            long requested;
            if (claim != null) {
                if (claim.bound()) {
                    continue; // its PV decides the node; kube-scheduler's volume binding checks that
                }
                className = claim.storageClassName();
                requested = claim.requestedBytes();
            } else if (source instanceof PodVolumes.EphemeralSource ephemeral) {
                className = ephemeral.storageClassName().isEmpty() ? defaultClassName() : ephemeral.storageClassName();
                requested = ephemeral.requestedBytes();
            } else {
                skipped.add(key + " (claim not known yet)");
                continue;
            }
            if (className == null || className.isEmpty()) {
                continue; // no class: not dynamically provisioned, not ours
            }
            ClassRecord storageClass = classes.get(className);
            if (storageClass == null) {
                skipped.add(key + " (StorageClass " + className + " not known)");
                continue;
            }
            if (!storageClass.openLocal()) {
                continue;
            }
            if (storageClass.problem() != null) {
                problems.add("claim " + key + ": StorageClass " + className + ": " + storageClass.problem());
                continue;
            }
            if (requested <= 0) {
                problems.add("claim " + key + " requests no storage (spec.resources.requests.storage)");
                continue;
            }
            ours.add(ClaimRequest.of(key, requested, storageClass.parameters()));
        }
        return new PodResolution(new PodRequest(pod.key(), ours), problems, skipped);
    }

    /**
     * The request for a single claim of ours (to rebuild its promise from the selected-node annotation), or null
     * when the claim is not ours, not pending, or its class is unknown or invalid.
     */
    public ClaimRequest requestFor(ClaimRecord claim) {
        if (claim.bound() || claim.storageClassName().isEmpty() || claim.requestedBytes() <= 0) {
            return null;
        }
        ClassRecord storageClass = classes.get(claim.storageClassName());
        if (storageClass == null || !storageClass.openLocal() || storageClass.parameters() == null) {
            return null;
        }
        return ClaimRequest.of(claim.key(), claim.requestedBytes(), storageClass.parameters());
    }

    private String defaultClassName() {
        for (ClassRecord c : classes.values()) {
            if (c.defaultClass()) {
                return c.name();
            }
        }
        return null;
    }
}
