package io.openlocal.extender.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.openlocal.extender.wire.Json;
import io.openlocal.extender.wire.KubeNames;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /cache?nodeName=N} (also POST, as Open-Local): what the extender believes a node offers and what is
 * set aside there, claim by claim. Without {@code nodeName}: a one-line summary per node.
 */
public final class CacheRoutes implements HttpService {

    private final AllocationLedger ledger;

    public CacheRoutes(AllocationLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/cache", this::dump).post("/cache", this::dump);
    }

    private void dump(ServerRequest req, ServerResponse res) throws Exception {
        String node = req.query().first("nodeName").orElse("");
        if (!node.isEmpty()) {
            if (!KubeNames.isSubdomain(node)) {
                Replies.text(res, Status.BAD_REQUEST_400, "nodeName " + KubeNames.quote(node) + " is not a node name");
                return;
            }
            NodeState state = ledger.state(node);
            if (state == null) {
                Replies.text(res, Status.NOT_FOUND_404, "node " + node + " is not in the cache");
                return;
            }
            Replies.json(res, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(detail(state)));
            return;
        }
        ArrayNode all = Json.mapper().createArrayNode();
        List<NodeState> states = ledger.states();
        states.sort(Comparator.comparing(NodeState::nodeName));
        for (NodeState state : states) {
            all.add(summary(state));
        }
        Replies.json(res, Json.mapper().writeValueAsBytes(all));
    }

    private static ObjectNode summary(NodeState state) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("node", state.nodeName());
        o.put("hasNodeLocalStorage", state.hasCapacity());
        long capacity = 0;
        long used = 0;
        NodeCapacity c = state.capacity();
        if (c != null) {
            for (int i = 0; i < c.volumeGroups().size(); i++) {
                capacity += c.volumeGroups().get(i).capacityBytes();
                used += state.usedBytes(false, i);
            }
        }
        o.put("volumeGroupCapacityBytes", capacity);
        o.put("volumeGroupUsedBytes", used);
        o.put("allocations", state.allocations().size());
        return o;
    }

    private static ObjectNode detail(NodeState state) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("node", state.nodeName());
        o.put("hasNodeLocalStorage", state.hasCapacity());
        NodeCapacity c = state.capacity();
        if (c != null) {
            o.set("volumeGroups", pools(state, c.volumeGroups(), false));
            o.set("spdkStores", pools(state, c.spdkStores(), true));
            o.set("devices", disks(state, c.devices(), false));
            o.set("mountPoints", disks(state, c.mountPoints(), true));
        }
        o.put("bytesOnPoolsNotInNodeLocalStorage", state.unplacedBytes());
        ArrayNode allocations = o.putArray("allocations");
        state.allocations().values().stream().sorted(Comparator.comparing(Allocation::claimKey)).forEach(a -> {
            ObjectNode n = allocations.addObject();
            n.put("claim", a.claimKey());
            n.put("pod", a.podKey());
            n.put("volumeType", a.kind().wireName());
            n.put("pool", a.poolName());
            n.put("requestedBytes", a.requestedBytes());
            n.put("allocatedBytes", a.allocatedBytes());
            n.put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
            n.put("volume", a.volumeName());
            if (a.promised()) {
                n.put("expiresAtMillis", a.expiresAtMillis());
            }
        });
        return o;
    }

    private static ArrayNode pools(NodeState state, List<SharedPool> pools, boolean spdk) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (int i = 0; i < pools.size(); i++) {
            SharedPool p = pools.get(i);
            ObjectNode n = out.addObject();
            n.put("name", p.name());
            n.put("capacityBytes", p.capacityBytes());
            n.put("usedBytes", state.usedBytes(spdk, i));
            n.put("freeBytes", p.capacityBytes() - state.usedBytes(spdk, i));
        }
        return out;
    }

    private static ArrayNode disks(NodeState state, List<ExclusiveDisk> disks, boolean mounts) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (int i = 0; i < disks.size(); i++) {
            ExclusiveDisk d = disks.get(i);
            ObjectNode n = out.addObject();
            n.put("name", d.name());
            n.put("capacityBytes", d.capacityBytes());
            n.put("mediaType", d.mediaType().label());
            n.put("claim", state.diskHolder(mounts, i));
        }
        return out;
    }
}
