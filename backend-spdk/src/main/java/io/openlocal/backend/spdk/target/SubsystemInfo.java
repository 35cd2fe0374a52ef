package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An NVMe-oF subsystem as nvmf_get_subsystems reports it. */
public record SubsystemInfo(String nqn, boolean allowAnyHost, List<String> hosts, List<ListenAddress> listeners,
                            List<Namespace> namespaces) {

    /** A listen address (trtype, adrfam, traddr, trsvcid). */
    public record ListenAddress(String trtype, String adrfam, String traddr, String trsvcid) {
    }

    /** A namespace; {@code bdevName} is the bdev's name (an lvol's UUID). */
    public record Namespace(int nsid, String bdevName, String uuid) {
    }

    static SubsystemInfo from(JsonNode n) {
        List<String> hosts = new ArrayList<>();
        n.path("hosts").forEach(h -> hosts.add(h.path("nqn").asText()));
        List<ListenAddress> listeners = new ArrayList<>();
        n.path("listen_addresses").forEach(l -> listeners.add(new ListenAddress(l.path("trtype").asText(),
                l.path("adrfam").asText(), l.path("traddr").asText(), l.path("trsvcid").asText())));
        List<Namespace> namespaces = new ArrayList<>();
        n.path("namespaces").forEach(ns -> namespaces.add(new Namespace(ns.path("nsid").asInt(),
                ns.path("bdev_name").asText(), ns.path("uuid").asText(""))));
        return new SubsystemInfo(Json.text(n, "nqn"), n.path("allow_any_host").asBoolean(), hosts, listeners,
                namespaces);
    }
}
