package io.openlocal.extender.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.openlocal.backend.error.StorageException;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.metrics.ExtenderMetrics;
import io.openlocal.extender.promise.Promises;
import io.openlocal.extender.wire.BindingInfo;
import io.openlocal.extender.wire.Json;
import io.openlocal.extender.wire.KubeNames;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.claim.StorageClassParameters;
import io.openlocal.scheduling.ledger.Allocation;
import java.lang.System.Logger.Level;

/**
 * {@code POST /apis/scheduling/{namespace}/persistentvolumeclaims/{name}?nodeName=&volumeType=&vgName=}: what the
 * CSI controller asks during CreateVolume. Answers Open-Local's {@code BindingInfo} JSON with the node and the VG
 * or device the ledger set aside for the claim (promising it now if nothing was promised yet).
 */
public final class AllocationRoutes implements HttpService {

    static final String PATH = "/apis/scheduling/{namespace}/persistentvolumeclaims/{name}";

    private static final System.Logger LOG = System.getLogger("io.openlocal.extender.requests");

    private final ClaimCatalog catalog;
    private final Promises promises;
    private final ExtenderMetrics metrics;
    private final Readiness readiness;

    public AllocationRoutes(ClaimCatalog catalog, Promises promises, ExtenderMetrics metrics, Readiness readiness) {
        this.catalog = catalog;
        this.promises = promises;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::allocate);
    }

    private void allocate(ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        if (!readiness.ready()) {
            Replies.text(res, Status.SERVICE_UNAVAILABLE_503,
                    "the Open-Local scheduler extender is still loading the cluster state; retry");
            return;
        }
        String namespace = req.path().pathParameters().get("namespace");
        String name = req.path().pathParameters().get("name");
        String key = namespace + "/" + name;
        try {
            if (!KubeNames.isLabel(namespace)) {
                throw new StorageException.InvalidArgument("namespace " + KubeNames.quote(namespace) + " is not valid");
            }
            if (!KubeNames.isSubdomain(name)) {
                throw new StorageException.InvalidArgument("claim name " + KubeNames.quote(name) + " is not valid");
            }
            String node = req.query().first("nodeName").orElse("");
            if (node.isEmpty()) {
                throw new StorageException.InvalidArgument("query parameter nodeName is required (allocation without a"
                        + " node is not supported)");
            }
            if (!KubeNames.isSubdomain(node)) {
                throw new StorageException.InvalidArgument("nodeName " + KubeNames.quote(node) + " is not a node name");
            }
            checkAgainstClass(key, req.query().first("volumeType").orElse(""), req.query().first("vgName").orElse(""));
            Allocation allocation = promises.allocateForProvisioning(key, node);
            byte[] body = Json.mapper().writeValueAsBytes(BindingInfo.of(allocation));
            Replies.json(res, body);
            metrics.allocated(System.nanoTime() - start);
            LOG.log(Level.INFO, "allocate claim={0} node={1} {2}={3} status={4}", key, node,
                    allocation.kind().wireName(), allocation.poolName(), allocation.status());
        } catch (StorageException e) {
            if (e instanceof StorageException.InvalidArgument) {
                metrics.badRequest("allocate");
            }
            LOG.log(Level.INFO, "allocate claim={0} refused: {1}", key, e.getMessage());
            Replies.text(res, Replies.statusOf(e), e.getMessage());
        }
    }

    /** The CSI controller passes the class's volumeType and vgName; they must agree with what the extender knows. */
    private void checkAgainstClass(String key, String volumeType, String vgName) {
        if (volumeType.isEmpty() && vgName.isEmpty()) {
            return;
        }
        ClaimRecord claim = catalog.claim(key);
        ClassRecord storageClass = claim == null ? null : catalog.storageClass(claim.storageClassName());
        if (storageClass == null || storageClass.parameters() == null) {
            return; // allocateForProvisioning says what is wrong
        }
        StorageClassParameters p = storageClass.parameters();
        if (!volumeType.isEmpty() && !volumeType.equals(p.volumeKind().wireName())) {
            throw new StorageException.InvalidArgument("volumeType " + KubeNames.quote(volumeType) + " does not match"
                    + " StorageClass " + storageClass.name() + " (" + p.volumeKind().wireName() + ")");
        }
        if (!vgName.isEmpty() && !vgName.equals(p.vgName())) {
            throw new StorageException.InvalidArgument("vgName " + KubeNames.quote(vgName) + " does not match"
                    + " StorageClass " + storageClass.name() + " (" + (p.vgName() == null ? "none" : p.vgName()) + ")");
        }
    }
}
