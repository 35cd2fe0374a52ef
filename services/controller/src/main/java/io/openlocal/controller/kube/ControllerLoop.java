package io.openlocal.controller.kube;

import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.openlocal.controller.ControllerConfig;
import io.openlocal.controller.reconcile.NlsPlanner;
import io.openlocal.controller.reconcile.NlsWriter;
import io.openlocal.controller.server.ControllerMetrics;
import io.openlocal.kube.client.Informers;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageInitConfig;
import io.openlocal.kube.event.EventRecorder;
import io.openlocal.kube.spec.SpecProblem;
import io.openlocal.kube.spec.StorageSpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The controller's work for one leadership term: informers on Nodes, NodeLocalStorages and
 * NodeLocalStorageInitConfigs; a rate-limited work queue of names; workers that plan ({@link NlsPlanner}) and
 * write ({@link NlsWriter}) one name at a time. Built when this instance becomes leader, closed when it stops
 * being leader; a new term starts from fresh caches, and so from what the API server holds.
 *
 * <p>What is queued: a node added, deleted or relabelled; an NLS added, changed or deleted; every node and NLS
 * name when the NLSC this controller follows changes, and once when the caches have synced.
 */
public final class ControllerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControllerLoop.class.getName());
    private static final String EVERYTHING = "\u0000all";

    private final ControllerConfig config;
    private final NlsWriter writer;
    private final EventRecorder events;
    private final ControllerMetrics metrics;
    private final SharedInformerFactory factory;
    private final SharedIndexInformer<V1Node> nodes;
    private final SharedIndexInformer<NodeLocalStorage> nlss;
    private final SharedIndexInformer<NodeLocalStorageInitConfig> nlscs;
    private final ExecutorService queueExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "controller-queue"));
    private final RateLimitingQueue<String> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final Thread starter;
    private volatile boolean closed;
    private volatile boolean synced;
    private String reportedProblemsOf; // resourceVersion of the NLSC whose problems were last reported

    public ControllerLoop(ApiClient client, ControllerConfig config, EventRecorder events, ControllerMetrics metrics) {
        this.config = config;
        this.writer = new NlsWriter(client);
        this.events = events;
        this.metrics = metrics;
        this.queue = new DefaultRateLimitingQueue<>(queueExecutor,
                new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(200), Duration.ofMinutes(5)));
        this.factory = Informers.factory(client);
        long resync = config.resync().toMillis();
        this.nodes = factory.sharedIndexInformerFor(new GenericKubernetesApi<>(V1Node.class, V1NodeList.class, "",
                "v1", "nodes", client), V1Node.class, resync);
        this.nlss = factory.sharedIndexInformerFor(Crds.nodeLocalStorages(client), NodeLocalStorage.class, resync);
        this.nlscs = factory.sharedIndexInformerFor(Crds.initConfigs(client), NodeLocalStorageInitConfig.class, resync);
        nodes.addEventHandler(handler((a, b) -> !Objects.equals(a.getMetadata().getLabels(),
                b.getMetadata().getLabels()), n -> n.getMetadata().getName()));
        nlss.addEventHandler(handler((a, b) -> !Objects.equals(a.getSpec(), b.getSpec())
                || !Objects.equals(a.getMetadata().getDeletionTimestamp(), b.getMetadata().getDeletionTimestamp()),
                n -> n.getMetadata().getName()));
        nlscs.addEventHandler(handler((a, b) -> !Objects.equals(a.getSpec(), b.getSpec()),
                n -> config.initConfig().equals(n.getMetadata().getName()) ? EVERYTHING : null));
        for (int i = 0; i < config.workers(); i++) {
            workers.add(daemon(this::work, "controller-worker-" + i));
        }
        this.starter = daemon(this::awaitSyncThenWork, "controller-start");
    }

    public void start() {
        factory.startAllRegisteredInformers();
        starter.start();
    }

    /** Whether the caches have synced and the workers run. */
    public boolean synced() {
        return synced;
    }

    private void awaitSyncThenWork() {
        try {
            while (!closed && !(nodes.hasSynced() && nlss.hasSynced() && nlscs.hasSynced())) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            return;
        }
        if (closed) {
            return;
        }
        synced = true;
        workers.forEach(Thread::start);
        queue.add(EVERYTHING);
    }

    private <T extends io.kubernetes.client.common.KubernetesObject> ResourceEventHandler<T> handler(BiPredicate<T, T> changed, java.util.function.Function<T, String> key) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                enqueue(key.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (changed.test(oldObj, newObj)) {
                    enqueue(key.apply(newObj));
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueue(key.apply(obj));
            }
        };
    }

    private void enqueue(String key) {
        if (key != null && !closed) {
            queue.add(key);
        }
    }

    private void work() {
        while (!closed) {
            String key;
            try {
                key = queue.get();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                if (key.equals(EVERYTHING)) {
                    nodes.getIndexer().listKeys().forEach(queue::add);
                    nlss.getIndexer().listKeys().forEach(queue::add);
                } else {
                    reconcile(key);
                }
                queue.forget(key);
            } catch (Exception e) {
                metrics.reconcileFailed();
                LOG.log(Level.WARNING, "reconciling NodeLocalStorage " + key + " failed; retrying with back-off", e);
                queue.addRateLimited(key);
            } finally {
                queue.done(key);
            }
        }
    }

    private void reconcile(String name) throws Exception {
        V1Node node = nodes.getIndexer().getByKey(name);
        NodeLocalStorage nls = nlss.getIndexer().getByKey(name);
        NodeLocalStorageInitConfig nlsc = nlscs.getIndexer().getByKey(config.initConfig());
        List<SpecProblem> problems = nlsc == null ? List.of() : StorageSpecValidator.validate(nlsc.getSpec());
        if (!problems.isEmpty()) {
            reportInvalid(nlsc, problems);
        }
        NlsPlanner.Action action = NlsPlanner.plan(name, node, nls, nlsc, problems, config.updateNls());
        NlsWriter.Result result = writer.apply(action);
        switch (result) {
            case DONE -> {
                metrics.wrote(action);
                switch (action) {
                    case NlsPlanner.Create c -> events.normal(new NodeLocalStorage(
                            new io.kubernetes.client.openapi.models.V1ObjectMeta().name(name), null, null),
                            "Created", "created from NodeLocalStorageInitConfig " + config.initConfig());
                    case NlsPlanner.Update u -> events.normal(nls, "SpecUpdated",
                            "spec put back in line with NodeLocalStorageInitConfig " + config.initConfig());
                    case NlsPlanner.Delete d -> LOG.info("deleted NodeLocalStorage " + name + ": its node is gone");
                    case NlsPlanner.Leave l -> { }
                }
            }
            case RETRY -> queue.addRateLimited(name);
            case ALREADY_DONE -> {
                if (action instanceof NlsPlanner.Leave l) {
                    LOG.fine(() -> "NodeLocalStorage " + name + ": " + l.why());
                }
            }
        }
    }

    /** One Warning event per NLSC version: the problems do not change until the NLSC does. */
    private synchronized void reportInvalid(NodeLocalStorageInitConfig nlsc, List<SpecProblem> problems) {
        String version = nlsc.getMetadata().getUid() + "/" + nlsc.getMetadata().getResourceVersion();
        if (version.equals(reportedProblemsOf)) {
            return;
        }
        reportedProblemsOf = version;
        metrics.invalidInitConfig();
        events.warning(nlsc, "InvalidInitConfig", "no NodeLocalStorage is created or changed until this is fixed: "
                + problems.stream().map(Object::toString).collect(Collectors.joining("; ")));
    }

    @Override
    public void close() {
        closed = true;
        starter.interrupt();
        queue.shutDown();
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        factory.stopAllRegisteredInformers();
        queueExecutor.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
