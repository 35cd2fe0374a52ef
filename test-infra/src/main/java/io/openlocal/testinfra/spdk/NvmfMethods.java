package io.openlocal.testinfra.spdk;

import static io.openlocal.testinfra.spdk.ParamDecoder.opt;
import static io.openlocal.testinfra.spdk.ParamDecoder.req;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.openlocal.testinfra.spdk.ParamDecoder.Params;
import io.openlocal.testinfra.spdk.ParamDecoder.Type;
import java.util.Locale;
import java.util.Map;

/**
 * nvmf_* methods. Almost every failure is -32602 "Invalid parameters", as on the target; creating a
 * subsystem that exists or has a bad NQN is -32603 "Unable to create subsystem &lt;nqn&gt;".
 */
final class NvmfMethods {

    private final TargetState state;
    private final Dumps dumps;

    NvmfMethods(TargetState state, Dumps dumps) {
        this.state = state;
        this.dumps = dumps;
    }

    void register(Map<String, RpcHandler> table) {
        RpcException invalid = RpcException.invalidParameters();
        table.put("nvmf_create_transport", RpcHandler.decoding(ParamDecoder.relaxed(invalid,
                req("trtype", Type.STRING), opt("tgt_name", Type.STRING), opt("max_queue_depth", Type.UINT16),
                opt("max_io_qpairs_per_ctrlr", Type.UINT16), opt("in_capsule_data_size", Type.UINT32),
                opt("max_io_size", Type.UINT32), opt("io_unit_size", Type.UINT32),
                opt("max_aq_depth", Type.UINT32), opt("num_shared_buffers", Type.UINT32),
                opt("buf_cache_size", Type.UINT32), opt("dif_insert_or_strip", Type.BOOL),
                opt("abort_timeout_sec", Type.UINT32), opt("zcopy", Type.BOOL)), this::createTransport));
        table.put("nvmf_get_transports", RpcHandler.optionalParams(ParamDecoder.strict(invalid,
                opt("trtype", Type.STRING), opt("tgt_name", Type.STRING)), this::getTransports));
        table.put("nvmf_create_subsystem", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), opt("serial_number", Type.STRING), opt("model_number", Type.STRING),
                opt("tgt_name", Type.STRING), opt("max_namespaces", Type.UINT32), opt("allow_any_host", Type.BOOL),
                opt("ana_reporting", Type.BOOL), opt("min_cntlid", Type.UINT16), opt("max_cntlid", Type.UINT16),
                opt("max_discard_size_kib", Type.UINT64), opt("max_write_zeroes_size_kib", Type.UINT64),
                opt("dmrsl", Type.UINT32), opt("wzsl", Type.UINT8), opt("passthrough", Type.BOOL),
                opt("enable_nssr", Type.BOOL)), this::createSubsystem));
        table.put("nvmf_delete_subsystem", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), opt("tgt_name", Type.STRING)), this::deleteSubsystem));
        table.put("nvmf_get_subsystems", RpcHandler.optionalParams(ParamDecoder.strict(invalid,
                opt("nqn", Type.STRING), opt("tgt_name", Type.STRING)), this::getSubsystems));
        table.put("nvmf_subsystem_add_ns", RpcHandler.decoding(ParamDecoder.relaxed(invalid,
                req("nqn", Type.STRING), req("namespace", Type.OBJECT), opt("tgt_name", Type.STRING)), this::addNs));
        table.put("nvmf_subsystem_remove_ns", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), req("nsid", Type.UINT32), opt("tgt_name", Type.STRING)), this::removeNs));
        table.put("nvmf_subsystem_add_listener", RpcHandler.decoding(ParamDecoder.relaxed(invalid,
                req("nqn", Type.STRING), req("listen_address", Type.OBJECT), opt("tgt_name", Type.STRING),
                opt("secure_channel", Type.BOOL), opt("ana_state", Type.STRING), opt("sock_impl", Type.STRING)),
                p -> changeListener(p, true)));
        table.put("nvmf_subsystem_remove_listener", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), req("listen_address", Type.OBJECT), opt("tgt_name", Type.STRING)),
                p -> changeListener(p, false)));
        table.put("nvmf_subsystem_get_listeners", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), opt("tgt_name", Type.STRING)), this::getListeners));
        table.put("nvmf_subsystem_add_host", RpcHandler.decoding(ParamDecoder.relaxed(invalid,
                req("nqn", Type.STRING), req("host", Type.STRING), opt("tgt_name", Type.STRING),
                opt("dhchap_key", Type.STRING), opt("dhchap_ctrlr_key", Type.STRING)), this::addHost));
        table.put("nvmf_subsystem_remove_host", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), req("host", Type.STRING), opt("tgt_name", Type.STRING),
                opt("timeout_ms", Type.UINT64)), this::removeHost));
        table.put("nvmf_subsystem_allow_any_host", RpcHandler.decoding(ParamDecoder.strict(invalid,
                req("nqn", Type.STRING), req("allow_any_host", Type.BOOL), opt("tgt_name", Type.STRING)),
                this::allowAnyHost));
    }

    private JsonNode createTransport(Params p) {
        String trtype = p.string("trtype");
        if (!trtype.equalsIgnoreCase("TCP")) {
            throw new RpcException(RpcException.INVALID_PARAMS, "Invalid transport type '" + trtype + "'");
        }
        if (state.transports.containsKey("TCP")) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "Transport type '" + trtype + "' already exists");
        }
        state.transports.put("TCP", dumps.tcpTransport());
        return BooleanNode.TRUE;
    }

    private JsonNode getTransports(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.has("trtype")) {
            JsonNode transport = state.transports.get(p.string("trtype").toUpperCase(Locale.ROOT));
            if (transport == null) {
                throw RpcException.errno(Errno.ENODEV);
            }
            result.add(transport.deepCopy());
            return result;
        }
        state.transports.values().forEach(t -> result.add(t.deepCopy()));
        return result;
    }

    private static boolean printableAscii(String s, int max) {
        if (s.length() > max) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private JsonNode createSubsystem(Params p) {
        String nqn = p.string("nqn");
        if ((p.has("serial_number") && !printableAscii(p.string("serial_number"), 20))
                || (p.has("model_number") && !printableAscii(p.string("model_number"), 40))) {
            throw RpcException.invalidParameters();
        }
        if (state.subsystem(nqn) != null || !NqnRules.valid(nqn)) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "Unable to create subsystem " + nqn);
        }
        NvmfSubsystem s = new NvmfSubsystem(nqn, false);
        s.allowAnyHost = p.bool("allow_any_host", false);
        if (p.has("serial_number")) {
            s.serialNumber = p.string("serial_number");
        }
        if (p.has("model_number")) {
            s.modelNumber = p.string("model_number");
        }
        if (p.number("max_namespaces", 0) > 0) {
            s.maxNamespaces = (int) p.number("max_namespaces", 0);
        }
        state.subsystems.add(s);
        return BooleanNode.TRUE;
    }

    private NvmfSubsystem existing(String nqn) {
        NvmfSubsystem s = state.subsystem(nqn);
        if (s == null) {
            throw RpcException.invalidParameters();
        }
        return s;
    }

    private JsonNode deleteSubsystem(Params p) {
        NvmfSubsystem s = existing(p.string("nqn"));
        if (s.discovery) {
            throw RpcException.invalidParameters();
        }
        s.namespaces.values().forEach(ns -> ns.bdev.claimType = null);
        state.subsystems.remove(s);
        return BooleanNode.TRUE;
    }

    private JsonNode getSubsystems(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.has("nqn")) {
            NvmfSubsystem s = state.subsystem(p.string("nqn"));
            if (s == null) {
                throw RpcException.errno(Errno.ENODEV);
            }
            result.add(dumps.subsystem(s));
            return result;
        }
        state.subsystems.forEach(s -> result.add(dumps.subsystem(s)));
        return result;
    }

    private JsonNode addNs(Params p) {
        Params ns = p.nested("namespace", ParamDecoder.strict(RpcException.invalidParameters(),
                opt("nsid", Type.UINT32), req("bdev_name", Type.STRING), opt("ptpl_file", Type.STRING),
                opt("nguid", Type.STRING), opt("eui64", Type.STRING), opt("uuid", Type.UUID),
                opt("anagrpid", Type.UINT32), opt("no_auto_visible", Type.BOOL), opt("hide_metadata", Type.BOOL)));
        NvmfSubsystem s = existing(p.string("nqn"));
        if (s.discovery) {
            throw RpcException.invalidParameters();
        }
        int nsid = (int) ns.number("nsid", 0);
        if (nsid == 0) {
            nsid = 1;
            while (s.namespaces.containsKey(nsid)) {
                nsid++;
            }
        }
        Bdev bdev = state.bdev(ns.string("bdev_name"));
        if (nsid > s.maxNamespaces || s.namespaces.containsKey(nsid) || bdev == null || bdev.claimed()
                || state.vhostControllers.values().stream().anyMatch(c -> c.bdev == bdev)) {
            throw RpcException.invalidParameters();
        }
        bdev.claimType = "exclusive_write";
        String uuid = ns.has("uuid") ? ns.string("uuid") : bdev.uuid;
        String nguid = ns.has("nguid") ? ns.string("nguid").replace("-", "").toUpperCase(Locale.ROOT)
                : bdev.uuid.replace("-", "").toUpperCase(Locale.ROOT);
        s.namespaces.put(nsid, new NvmfSubsystem.Namespace(nsid, bdev, uuid, nguid));
        return IntNode.valueOf(nsid);
    }

    private JsonNode removeNs(Params p) {
        NvmfSubsystem s = existing(p.string("nqn"));
        NvmfSubsystem.Namespace ns = s.namespaces.remove((int) p.number("nsid", 0));
        if (ns == null) {
            throw RpcException.invalidParameters();
        }
        ns.bdev.claimType = null;
        return BooleanNode.TRUE;
    }

    private NvmfSubsystem.Listener listener(Params p) {
        Params address = p.nested("listen_address", ParamDecoder.strict(RpcException.invalidParameters(),
                req("trtype", Type.STRING), opt("adrfam", Type.STRING), req("traddr", Type.STRING),
                opt("trsvcid", Type.STRING)));
        String trtype = address.string("trtype").toUpperCase(Locale.ROOT);
        if (!trtype.equals("TCP") && !trtype.equals("RDMA") && !trtype.equals("PCIE")) {
            throw RpcException.invalidParameters();
        }
        String adrfam = address.has("adrfam") ? address.string("adrfam") : "IPv4";
        adrfam = switch (adrfam.toLowerCase(Locale.ROOT)) {
            case "ipv4" -> "IPv4";
            case "ipv6" -> "IPv6";
            case "ib" -> "IB";
            case "fc" -> "FC";
            default -> throw RpcException.invalidParameters();
        };
        return new NvmfSubsystem.Listener(trtype, adrfam, address.string("traddr"),
                address.has("trsvcid") ? address.string("trsvcid") : "");
    }

    private JsonNode changeListener(Params p, boolean add) {
        NvmfSubsystem s = existing(p.string("nqn"));
        NvmfSubsystem.Listener listener = listener(p);
        if (add) {
            if (p.bool("secure_channel", false) && s.allowAnyHost) {
                throw new RpcException(RpcException.INTERNAL_ERROR,
                        "Cannot establish secure channel, when 'allow_any_host' is set");
            }
            if (s.listeners.contains(listener) || !state.transports.containsKey(listener.trtype())) {
                throw RpcException.invalidParameters();
            }
            s.listeners.add(listener);
        } else if (!s.listeners.remove(listener)) {
            throw RpcException.invalidParameters();
        }
        return BooleanNode.TRUE;
    }

    private JsonNode getListeners(Params p) {
        NvmfSubsystem s = existing(p.string("nqn"));
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        s.listeners.forEach(l -> result.addObject().set("address", dumps.listener(l)));
        return result;
    }

    private JsonNode addHost(Params p) {
        NvmfSubsystem s = existing(p.string("nqn"));
        String host = p.string("host");
        if (!NqnRules.valid(host) || s.hosts.contains(host)) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "Internal error");
        }
        s.hosts.add(host);
        return BooleanNode.TRUE;
    }

    private JsonNode removeHost(Params p) {
        NvmfSubsystem s = existing(p.string("nqn"));
        if (!s.hosts.remove(p.string("host"))) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "Internal error");
        }
        return BooleanNode.TRUE;
    }

    private JsonNode allowAnyHost(Params p) {
        existing(p.string("nqn")).allowAnyHost = p.bool("allow_any_host", false);
        return BooleanNode.TRUE;
    }
}
