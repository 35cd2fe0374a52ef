package io.openlocal.backend.spdk.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code nvme list-subsys -o json} (nvme-cli 2.x: an array of hosts, each with "Subsystems", each
 * with "Name", "NQN" and "Paths" of controllers with "Name", "Transport", "Address", "State"). Older
 * nvme-cli printed one host object instead of the array; both are read.
 */
public final class NvmeSubsystems {

    /** One NVMe subsystem the kernel knows, with its controllers (paths). */
    public record Subsystem(String name, String nqn, List<Controller> controllers) {
    }

    /** A controller (path) of a subsystem: {@code nvme0}, its transport, address and state. */
    public record Controller(String name, String transport, String address, String state) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NvmeSubsystems() {
    }

    public static List<Subsystem> parse(String json) {
        List<Subsystem> result = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return result;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new StorageException.Internal("nvme list-subsys printed something that is not JSON: "
                    + json.substring(0, Math.min(200, json.length())), e);
        }
        List<JsonNode> hosts = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(hosts::add);
        } else if (root.isObject()) {
            hosts.add(root);
        }
        for (JsonNode host : hosts) {
            for (JsonNode s : host.path("Subsystems")) {
                if (!s.has("NQN")) {
                    continue;
                }
                List<Controller> controllers = new ArrayList<>();
                for (JsonNode p : s.path("Paths")) {
                    controllers.add(new Controller(p.path("Name").asText(), p.path("Transport").asText(),
                            p.path("Address").asText(), p.path("State").asText()));
                }
                result.add(new Subsystem(s.path("Name").asText(), s.path("NQN").asText(), controllers));
            }
        }
        return result;
    }
}
