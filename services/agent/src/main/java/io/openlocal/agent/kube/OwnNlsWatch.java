package io.openlocal.agent.kube;

import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.openlocal.kube.client.Informers;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageList;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A client-java informer on this node's NodeLocalStorage only: list and watch carry the field selector
 * {@code metadata.name=<node>}, so a node's agent never receives the other nodes' objects (which matters in a
 * large cluster, where every status write of every node would otherwise reach every agent).
 *
 * <p>{@code onChange} runs when the object appears and when its spec changes (status updates, which the agent
 * makes itself, do not trigger it).
 */
public final class OwnNlsWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OwnNlsWatch.class.getName());

    private final String nodeName;
    private final SharedInformerFactory factory;
    private final SharedIndexInformer<NodeLocalStorage> informer;

    public OwnNlsWatch(ApiClient client, String nodeName, Runnable onChange) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.factory = Informers.factory(client);
        GenericKubernetesApi<NodeLocalStorage, NodeLocalStorageList> api = Crds.nodeLocalStorages(client);
        String selector = "metadata.name=" + nodeName;
        ListerWatcher<NodeLocalStorage, NodeLocalStorageList> listerWatcher = new ListerWatcher<>() {
            @Override
            public NodeLocalStorageList list(CallGeneratorParams params) throws ApiException {
                return api.list(new ListOptions().fieldSelector(selector).resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)).throwsApiException().getObject();
            }

            @Override
            public Watchable<NodeLocalStorage> watch(CallGeneratorParams params) throws ApiException {
                return api.watch(new ListOptions().fieldSelector(selector).resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds));
            }
        };
        this.informer = factory.sharedIndexInformerFor(listerWatcher, NodeLocalStorage.class, 0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(NodeLocalStorage obj) {
                if (isMine(obj)) {
                    onChange.run();
                }
            }

            @Override
            public void onUpdate(NodeLocalStorage oldObj, NodeLocalStorage newObj) {
                if (isMine(newObj) && (!Objects.equals(oldObj.getSpec(), newObj.getSpec())
                        || !Objects.equals(oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration()))) {
                    onChange.run();
                }
            }

            @Override
            public void onDelete(NodeLocalStorage obj, boolean deletedFinalStateUnknown) {
                if (isMine(obj)) {
                    LOG.info("NodeLocalStorage " + nodeName + " was deleted; waiting for the controller to recreate it");
                }
            }
        });
    }

    public void start() {
        factory.startAllRegisteredInformers();
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** The node's NLS as last seen, if it exists. */
    public Optional<NodeLocalStorage> current() {
        return Optional.ofNullable(informer.getIndexer().getByKey(nodeName));
    }

    /** Objects in the informer's cache: only this node's, when the server applies the field selector. */
    public java.util.List<String> cachedNames() {
        return informer.getIndexer().list().stream().map(o -> o.getMetadata().getName()).toList();
    }

    private boolean isMine(NodeLocalStorage obj) {
        // Defensive: an API server that ignored the field selector must not make this agent act on another node.
        return obj != null && obj.getMetadata() != null && nodeName.equals(obj.getMetadata().getName());
    }

    @Override
    public void close() {
        factory.stopAllRegisteredInformers();
    }
}
