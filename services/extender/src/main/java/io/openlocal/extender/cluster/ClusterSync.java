package io.openlocal.extender.cluster;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimList;
import io.kubernetes.client.openapi.models.V1PersistentVolumeList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1StorageClass;
import io.kubernetes.client.openapi.models.V1StorageClassList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.promise.Promises;
import io.openlocal.kube.client.Informers;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.PodVolumes;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.node.NodeCapacity;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the catalog and the ledger in step with the API server through client-java informers on
 * NodeLocalStorages, PVCs, PVs, StorageClasses and Pods; rebuilds the ledger after a start (PVs become confirmed
 * allocations, pending PVCs with kube-scheduler's selected-node annotation become promises); and sweeps lapsed
 * promises periodically. The extender reports ready only after the rebuild. There is no Node informer (three
 * threads and a cache of large objects): a node that leaves loses its NLS, which the controller deletes, and the
 * ledger forgets a node without an NLS once nothing is allocated there.
 */
public final class ClusterSync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterSync.class.getName());

    private final ClaimCatalog catalog;
    private final AllocationLedger ledger;
    private final Promises promises;
    private final Readiness readiness;
    private final Duration sweepInterval;
    private final SharedInformerFactory factory;
    private final List<SharedIndexInformer<?>> informers;
    private final ScheduledExecutorService sweeper;
    private volatile boolean rebuilt;

    public ClusterSync(ApiClient client, ClaimCatalog catalog, AllocationLedger ledger, Promises promises,
                       Readiness readiness, Duration sweepInterval) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.promises = promises;
        this.readiness = readiness;
        this.sweepInterval = sweepInterval;
        this.factory = Informers.factory(client);

        SharedIndexInformer<NodeLocalStorage> nlsInformer = factory.sharedIndexInformerFor(
                Crds.nodeLocalStorages(client), NodeLocalStorage.class, 0);
        nlsInformer.addEventHandler(handler(this::nlsChanged, nls -> ledger.removeCapacity(nls.getMetadata().getName())));

        SharedIndexInformer<V1StorageClass> scInformer = factory.sharedIndexInformerFor(
                new GenericKubernetesApi<>(V1StorageClass.class, V1StorageClassList.class, "storage.k8s.io", "v1",
                        "storageclasses", client), V1StorageClass.class, 0);
        scInformer.addEventHandler(handler(sc -> catalog.putClass(Translate.storageClass(sc)),
                sc -> catalog.removeClass(sc.getMetadata().getName())));

        SharedIndexInformer<V1PersistentVolumeClaim> pvcInformer = factory.sharedIndexInformerFor(
                new GenericKubernetesApi<>(V1PersistentVolumeClaim.class, V1PersistentVolumeClaimList.class, "", "v1",
                        "persistentvolumeclaims", client), V1PersistentVolumeClaim.class, 0);
        pvcInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1PersistentVolumeClaim pvc) {
                guarded("PVC add", () -> claimChanged(null, pvc));
            }

            @Override
            public void onUpdate(V1PersistentVolumeClaim old, V1PersistentVolumeClaim pvc) {
                guarded("PVC update", () -> claimChanged(old, pvc));
            }

            @Override
            public void onDelete(V1PersistentVolumeClaim pvc, boolean finalStateUnknown) {
                guarded("PVC delete", () -> claimDeleted(pvc));
            }
        });

        SharedIndexInformer<V1PersistentVolume> pvInformer = factory.sharedIndexInformerFor(
                new GenericKubernetesApi<>(V1PersistentVolume.class, V1PersistentVolumeList.class, "", "v1",
                        "persistentvolumes", client), V1PersistentVolume.class, 0);
        pvInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1PersistentVolume pv) {
                guarded("PV add", () -> volumeChanged(null, pv));
            }

            @Override
            public void onUpdate(V1PersistentVolume old, V1PersistentVolume pv) {
                guarded("PV update", () -> volumeChanged(old, pv));
            }

            @Override
            public void onDelete(V1PersistentVolume pv, boolean finalStateUnknown) {
                guarded("PV delete", () -> ledger.releaseVolume(Translate.claimKeyOf(pv), pv.getMetadata().getName()));
            }
        });

        SharedIndexInformer<V1Pod> podInformer = factory.sharedIndexInformerFor(
                new GenericKubernetesApi<>(V1Pod.class, V1PodList.class, "", "v1", "pods", client), V1Pod.class, 0);
        podInformer.setTransform(ClusterSync::podVolumesOnly);
        podInformer.addEventHandler(handler(pod -> catalog.putPod(Translate.pod(pod)), this::podGone));

        informers = List.of(nlsInformer, scInformer, pvcInformer, pvInformer, podInformer);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "open-local-promise-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers; returns at once. {@link #awaitSynced} waits for the first full listing. */
    public void start() {
        factory.startAllRegisteredInformers();
    }

    /**
     * Waits until every informer has listed its objects, then rebuilds the promises from the selected-node
     * annotations, starts the sweeper and marks the extender ready.
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allSynced()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        rebuildPromises();
        long every = Math.max(1, sweepInterval.toMillis());
        sweeper.scheduleWithFixedDelay(() -> guarded("promise sweep", this::sweep), every, every, TimeUnit.MILLISECONDS);
        readiness.markReady();
        return true;
    }

    private boolean allSynced() {
        for (SharedIndexInformer<?> informer : informers) {
            if (!informer.hasSynced()) {
                return false;
            }
        }
        return true;
    }

    /** After the listing, every pending claim kube-scheduler has placed gets its promise back. */
    private void rebuildPromises() {
        rebuilt = true; // from here on annotation events promise at once; promising twice is harmless
        int count = 0;
        for (ClaimRecord claim : catalog.claims()) {
            if (claim.awaitingProvisioning()) {
                promises.honourSelectedNode(claim);
                count++;
            }
        }
        var counts = ledger.counts();
        LOG.log(Level.INFO, "ledger rebuilt from the API server: {0} volumes confirmed, {1} claims promised"
                + " (from {2} annotated pending claims), {3} nodes", counts.get(Allocation.Status.CONFIRMED),
                counts.get(Allocation.Status.PROMISED), count, ledger.nodeCount());
    }

    private void sweep() {
        int dropped = promises.sweep();
        if (dropped > 0) {
            LOG.log(Level.INFO, "dropped {0} lapsed promises", dropped);
        }
    }

    private void nlsChanged(NodeLocalStorage nls) {
        NodeCapacity capacity = Translate.nodeCapacity(nls);
        if (capacity == null) {
            ledger.removeCapacity(nls.getMetadata().getName());
        } else {
            ledger.putCapacity(capacity);
        }
    }

    private void claimChanged(V1PersistentVolumeClaim old, V1PersistentVolumeClaim pvc) {
        ClaimRecord claim = Translate.claim(pvc);
        catalog.putClaim(claim);
        if (!rebuilt) {
            return; // promises are rebuilt once everything is listed
        }
        if (claim.awaitingProvisioning()) {
            promises.honourSelectedNode(claim);
        } else if (old != null && !claim.bound() && claim.selectedNode().isEmpty()
                && !Translate.claim(old).selectedNode().isEmpty()) {
            ledger.releasePromise(claim.key()); // kube-scheduler took its node choice back
        }
    }

    private void claimDeleted(V1PersistentVolumeClaim pvc) {
        String key = Translate.key(pvc.getMetadata());
        catalog.removeClaim(key);
        ledger.releasePromise(key);
    }

    private void volumeChanged(V1PersistentVolume old, V1PersistentVolume pv) {
        if (old != null) {
            String oldKey = Translate.claimKeyOf(old);
            if (!oldKey.equals(Translate.claimKeyOf(pv))) {
                ledger.releaseVolume(oldKey, old.getMetadata().getName());
            }
        }
        Allocation volume = Translate.volume(pv);
        if (volume != null) {
            // A promise that held the disk this PV names gives way, and is made again on another disk (or refused).
            for (String displaced : ledger.confirm(volume)) {
                ClaimRecord claim = catalog.claim(displaced);
                if (claim != null) {
                    promises.honourSelectedNode(claim);
                }
            }
        }
    }

    private void podGone(V1Pod pod) {
        PodVolumes removed = catalog.removePod(Translate.key(pod.getMetadata()));
        promises.podDeleted(removed != null ? removed : Translate.pod(pod));
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        factory.stopAllRegisteredInformers(true);
        readiness.markNotReady();
    }

    /** Keeps the Pod's identity and volumes only. */
    private static KubernetesObject podVolumesOnly(KubernetesObject obj) {
        V1Pod pod = (V1Pod) obj;
        V1ObjectMeta meta = pod.getMetadata();
        V1PodSpec spec = new V1PodSpec();
        if (pod.getSpec() != null) {
            spec.volumes(pod.getSpec().getVolumes()).nodeName(pod.getSpec().getNodeName());
        }
        return new V1Pod().metadata(new V1ObjectMeta().name(meta.getName()).namespace(meta.getNamespace())
                .uid(meta.getUid()).resourceVersion(meta.getResourceVersion())).spec(spec);
    }

    private static <T extends KubernetesObject> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                guarded("add " + obj.getKind(), () -> upsert.accept(obj));
            }

            @Override
            public void onUpdate(T old, T obj) {
                guarded("update " + obj.getKind(), () -> upsert.accept(obj));
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                guarded("delete " + obj.getKind(), () -> delete.accept(obj));
            }
        };
    }

    /** An event handler must never throw into the informer: log and go on. */
    private static void guarded(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handling " + what + " failed: " + e, e);
        }
    }
}
