package io.openlocal.extender.promise;

import io.openlocal.backend.error.StorageException;
import io.openlocal.extender.metrics.ExtenderMetrics;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.PodResolution;
import io.openlocal.scheduling.catalog.PodVolumes;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the ledger promises, keeps and drops space for claims, from what the cluster says:
 * <ul>
 *   <li>kube-scheduler's {@code volume.kubernetes.io/selected-node} annotation on a pending claim (written in its
 *       PreBind step, before provisioning starts) promises the pod's claims on that node;</li>
 *   <li>the CSI controller's allocation request during CreateVolume promises (or returns the promise);</li>
 *   <li>the annotation being taken off again (kube-scheduler gave up on the node), the claim being deleted, or the
 *       pod being deleted before kube-scheduler annotated anything, drops the promise; so does its timeout when
 *       nothing asks for it any more.</li>
 * </ul>
 */
public final class Promises {

    private static final System.Logger LOG = System.getLogger(Promises.class.getName());

    private final ClaimCatalog catalog;
    private final AllocationLedger ledger;
    private final ExtenderMetrics metrics;
    private final Duration timeout;

    public Promises(ClaimCatalog catalog, AllocationLedger ledger, ExtenderMetrics metrics, Duration timeout) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Promises a pending claim on the node kube-scheduler chose for it, together with the other pending claims
     * of its pod (they go to the same node). A claim promised elsewhere before follows the annotation.
     */
    public void honourSelectedNode(ClaimRecord claim) {
        if (!claim.awaitingProvisioning()) {
            return;
        }
        String node = claim.selectedNode();
        String owner = ledger.ownerOf(claim.key());
        if (node.equals(owner)) {
            return;
        }
        if (owner != null) {
            ledger.releasePromise(claim.key());
        }
        ClaimRequest request = catalog.requestFor(claim);
        if (request == null) {
            return; // not ours, or its class is not known yet: the periodic reconcile comes back to it
        }
        try {
            ledger.reserve(podRequestFor(claim.key(), request), node, timeout.toMillis());
        } catch (StorageException.AlreadyExists | StorageException.OutOfCapacity e) {
            try {
                ledger.reserve(new PodRequest("", List.of(request)), node, timeout.toMillis());
            } catch (StorageException e2) {
                refused(claim, node, e2);
            }
        } catch (StorageException e) {
            refused(claim, node, e);
        }
    }

    /**
     * The allocation for a claim being provisioned on {@code node}: the existing one, or a new promise for the
     * claim and its pod's other pending claims.
     *
     * @throws StorageException.NotFound      the claim is unknown, or the node has no NodeLocalStorage
     * @throws StorageException.InvalidArgument the claim is not an Open-Local claim
     * @throws StorageException.AlreadyExists the claim is promised to or provisioned on another node
     * @throws StorageException.OutOfCapacity it does not fit on the node
     */
    public Allocation allocateForProvisioning(String claimKey, String node) {
        Allocation existing = ledger.allocation(claimKey);
        if (existing != null) {
            if (!existing.nodeName().equals(node)) {
                throw new StorageException.AlreadyExists("claim " + claimKey + " is already "
                        + (existing.promised() ? "promised to" : "provisioned on") + " node " + existing.nodeName());
            }
            return existing;
        }
        ClaimRecord claim = catalog.claim(claimKey);
        if (claim == null) {
            throw new StorageException.NotFound("claim " + claimKey + " is not known (yet)");
        }
        if (claim.bound()) {
            throw new StorageException.Busy("claim " + claimKey + " is bound, but its volume is not known yet; retry");
        }
        ClaimRequest request = catalog.requestFor(claim);
        if (request == null) {
            throw new StorageException.InvalidArgument("claim " + claimKey + " is not an Open-Local claim with a valid"
                    + " StorageClass (class " + (claim.storageClassName().isEmpty() ? "none" : claim.storageClassName())
                    + ")");
        }
        List<Allocation> got;
        try {
            got = ledger.reserve(podRequestFor(claimKey, request), node, timeout.toMillis());
        } catch (StorageException.AlreadyExists | StorageException.OutOfCapacity e) {
            // A sibling claim may be held elsewhere or not fit; this claim alone decides this request.
            got = ledger.reserve(new PodRequest("", List.of(request)), node, timeout.toMillis());
        }
        for (Allocation a : got) {
            if (a.claimKey().equals(claimKey)) {
                return a;
            }
        }
        throw new StorageException.Internal("reservation for " + claimKey + " on " + node + " did not include it");
    }

    /**
     * A pod is gone: its claims' promises go too, unless kube-scheduler annotated the claim (then provisioning
     * may still run, and the annotation's removal or the claim's deletion releases it).
     */
    public void podDeleted(PodVolumes pod) {
        for (String key : pod.claimKeys()) {
            ClaimRecord claim = catalog.claim(key);
            if (claim == null || (!claim.bound() && claim.selectedNode().isEmpty())) {
                ledger.releasePromise(key);
            }
        }
    }

    /** Drops lapsed promises nothing asks for, and promises annotated claims that have none (reconcile). */
    public int sweep() {
        int dropped = ledger.expirePromises(this::stillWanted, timeout.toMillis());
        for (ClaimRecord claim : catalog.claims()) {
            if (claim.awaitingProvisioning() && !claim.selectedNode().equals(ledger.ownerOf(claim.key()))) {
                honourSelectedNode(claim);
            }
        }
        return dropped;
    }

    /** A promise is still wanted while its claim is pending and annotated with the promise's node. */
    boolean stillWanted(Allocation promise) {
        ClaimRecord claim = catalog.claim(promise.claimKey());
        return claim != null && !claim.bound() && claim.selectedNode().equals(promise.nodeName());
    }

    private PodRequest podRequestFor(String claimKey, ClaimRequest request) {
        PodVolumes pod = catalog.podUsing(claimKey);
        if (pod == null) {
            return new PodRequest("", List.of(request));
        }
        PodResolution resolution = catalog.resolve(pod);
        List<ClaimRequest> claims = new ArrayList<>(resolution.request().claims());
        if (claims.stream().noneMatch(c -> c.key().equals(claimKey))) {
            claims.add(request);
        }
        return new PodRequest(pod.key(), claims);
    }

    private void refused(ClaimRecord claim, String node, StorageException e) {
        metrics.promiseRefused();
        LOG.log(Level.WARNING, "claim {0} was placed on node {1} by kube-scheduler, but the ledger cannot promise it"
                + " there: {2}", claim.key(), node, e.getMessage());
    }
}
