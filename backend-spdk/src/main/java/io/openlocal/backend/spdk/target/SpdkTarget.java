package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.rpc.RpcReply;
import io.openlocal.backend.spdk.rpc.RpcRequest;
import io.openlocal.backend.spdk.rpc.SpdkErrors;
import io.openlocal.backend.spdk.rpc.SpdkRpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The target's methods this backend uses, with their parameter names and answer shapes in one place. Sizes
 * go out in MiB (v26.05 accepts only size_in_mib); lookups of something absent return empty (the target
 * answers -19 "No such device" for those).
 */
public final class SpdkTarget {

    private final SpdkRpcClient client;

    public SpdkTarget(SpdkRpcClient client) {
        this.client = client;
    }

    public SpdkRpcClient client() {
        return client;
    }

    private ObjectNode params() {
        return client.params();
    }

    /** Calls a lookup; "No such device" (-19 from bdev/lvstore/nvmf lookups) becomes empty. */
    private Optional<JsonNode> lookup(String method, ObjectNode params) {
        RpcReply reply = client.exchange(new RpcRequest(method, params));
        if (reply.ok()) {
            return Optional.of(reply.result());
        }
        if (reply.error().is(-19, "No such device")) {
            return Optional.empty();
        }
        throw SpdkErrors.toException(method, params, reply.error());
    }

    public String version() {
        return Json.text(client.call("spdk_get_version", null), "version");
    }

    // ---- bdevs ----

    public List<BdevInfo> bdevs() {
        List<BdevInfo> list = new ArrayList<>();
        Json.array(client.call("bdev_get_bdevs", null), "bdev_get_bdevs").forEach(n -> list.add(BdevInfo.from(n)));
        return list;
    }

    /** A bdev by name, alias ("lvs/lvol") or UUID. */
    public Optional<BdevInfo> bdev(String nameOrAlias) {
        return lookup("bdev_get_bdevs", params().put("name", nameOrAlias))
                .map(result -> BdevInfo.from(Json.array(result, "bdev_get_bdevs").get(0)));
    }

    /** Attaches a file or block device; {@code blockSize} 0 lets the target detect it (block devices only). */
    public String aioCreate(String name, String filename, int blockSize) {
        ObjectNode p = params().put("name", name).put("filename", filename);
        if (blockSize > 0) {
            p.put("block_size", blockSize);
        }
        return client.call("bdev_aio_create", p).asText();
    }

    public void aioDelete(String name) {
        client.call("bdev_aio_delete", params().put("name", name));
    }

    public void aioRescan(String name) {
        client.call("bdev_aio_rescan", params().put("name", name));
    }

    /** Attaches a local NVMe controller by PCI address; returns its bdevs (one per namespace). */
    public List<String> nvmeAttach(String controllerName, String pciAddress) {
        List<String> names = new ArrayList<>();
        Json.array(client.call("bdev_nvme_attach_controller", params().put("name", controllerName)
                .put("trtype", "PCIe").put("traddr", pciAddress)), "bdev_nvme_attach_controller")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    public void nvmeDetach(String controllerName) {
        client.call("bdev_nvme_detach_controller", params().put("name", controllerName));
    }

    public void waitForExamine() {
        client.call("bdev_wait_for_examine", null);
    }

    // ---- lvstores ----

    public List<LvstoreInfo> lvstores() {
        List<LvstoreInfo> list = new ArrayList<>();
        Json.array(client.call("bdev_lvol_get_lvstores", null), "bdev_lvol_get_lvstores")
                .forEach(n -> list.add(LvstoreInfo.from(n)));
        return list;
    }

    public Optional<LvstoreInfo> lvstore(String name) {
        return lookup("bdev_lvol_get_lvstores", params().put("lvs_name", name))
                .map(result -> LvstoreInfo.from(Json.array(result, "bdev_lvol_get_lvstores").get(0)));
    }

    public String createLvstore(String bdevName, String lvsName, long clusterSize) {
        return client.call("bdev_lvol_create_lvstore", params().put("bdev_name", bdevName).put("lvs_name", lvsName)
                .put("cluster_sz", clusterSize).put("clear_method", "unmap")).asText();
    }

    public void deleteLvstore(String lvsName) {
        client.call("bdev_lvol_delete_lvstore", params().put("lvs_name", lvsName));
    }

    public void growLvstore(String lvsName) {
        client.call("bdev_lvol_grow_lvstore", params().put("lvs_name", lvsName));
    }

    // ---- lvols ----

    public List<LvolInfo> lvols(String lvsName) {
        List<LvolInfo> list = new ArrayList<>();
        Json.array(client.call("bdev_lvol_get_lvols", params().put("lvs_name", lvsName)), "bdev_lvol_get_lvols")
                .forEach(n -> list.add(LvolInfo.from(n)));
        return list;
    }

    public String createLvol(String lvsName, String name, long sizeMiB, boolean thin, String clearMethod) {
        ObjectNode p = params().put("lvol_name", name).put("size_in_mib", sizeMiB).put("lvs_name", lvsName)
                .put("thin_provision", thin);
        if (clearMethod != null) {
            p.put("clear_method", clearMethod);
        }
        return client.call("bdev_lvol_create", p).asText();
    }

    public void resizeLvol(String alias, long sizeMiB) {
        client.call("bdev_lvol_resize", params().put("name", alias).put("size_in_mib", sizeMiB));
    }

    public void deleteLvol(String alias) {
        client.call("bdev_lvol_delete", params().put("name", alias));
    }

    public String snapshot(String lvolAlias, String snapshotName) {
        return client.call("bdev_lvol_snapshot", params().put("lvol_name", lvolAlias)
                .put("snapshot_name", snapshotName)).asText();
    }

    public String cloneLvol(String snapshotAlias, String cloneName) {
        return client.call("bdev_lvol_clone", params().put("snapshot_name", snapshotAlias)
                .put("clone_name", cloneName)).asText();
    }

    public void inflate(String alias) {
        client.call("bdev_lvol_inflate", params().put("name", alias));
    }

    public void setReadOnly(String alias) {
        client.call("bdev_lvol_set_read_only", params().put("name", alias));
    }

    // ---- NVMe-oF ----

    public boolean hasTransport(String trtype) {
        for (JsonNode t : Json.array(client.call("nvmf_get_transports", null), "nvmf_get_transports")) {
            if (trtype.equalsIgnoreCase(t.path("trtype").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Creates the transport; one that already exists counts as created. */
    public void ensureTransport(String trtype) {
        if (hasTransport(trtype)) {
            return;
        }
        try {
            client.call("nvmf_create_transport", params().put("trtype", trtype));
        } catch (StorageException.AlreadyExists e) {
            // Created meanwhile by someone else: what we wanted.
        }
    }

    public Optional<SubsystemInfo> subsystem(String nqn) {
        return lookup("nvmf_get_subsystems", params().put("nqn", nqn))
                .map(result -> SubsystemInfo.from(Json.array(result, "nvmf_get_subsystems").get(0)));
    }

    public List<SubsystemInfo> subsystems() {
        List<SubsystemInfo> list = new ArrayList<>();
        for (JsonNode n : Json.array(client.call("nvmf_get_subsystems", null), "nvmf_get_subsystems")) {
            if ("NVMe".equals(n.path("subtype").asText())) {
                list.add(SubsystemInfo.from(n));
            }
        }
        return list;
    }

    public void createSubsystem(String nqn, String serialNumber, String modelNumber) {
        client.call("nvmf_create_subsystem", params().put("nqn", nqn).put("allow_any_host", false)
                .put("serial_number", serialNumber).put("model_number", modelNumber));
    }

    public void deleteSubsystem(String nqn) {
        client.call("nvmf_delete_subsystem", params().put("nqn", nqn));
    }

    public void addHost(String nqn, String hostNqn) {
        client.call("nvmf_subsystem_add_host", params().put("nqn", nqn).put("host", hostNqn));
    }

    public int addNamespace(String nqn, String bdevName, String uuid) {
        ObjectNode p = params().put("nqn", nqn);
        p.putObject("namespace").put("bdev_name", bdevName).put("uuid", uuid);
        return client.call("nvmf_subsystem_add_ns", p).asInt();
    }

    public void removeNamespace(String nqn, int nsid) {
        client.call("nvmf_subsystem_remove_ns", params().put("nqn", nqn).put("nsid", nsid));
    }

    public void addListener(String nqn, SubsystemInfo.ListenAddress address) {
        ObjectNode p = params().put("nqn", nqn);
        p.putObject("listen_address").put("trtype", address.trtype()).put("adrfam", address.adrfam())
                .put("traddr", address.traddr()).put("trsvcid", address.trsvcid());
        client.call("nvmf_subsystem_add_listener", p);
    }

    // ---- vhost ----

    public Optional<VhostControllerInfo> vhostController(String name) {
        RpcReply reply = client.exchange(new RpcRequest("vhost_get_controllers", params().put("name", name)));
        if (reply.ok()) {
            return Optional.of(VhostControllerInfo.from(Json.array(reply.result(), "vhost_get_controllers").get(0)));
        }
        if (reply.error().message().equals("No such device")) { // answered as -32603 by this method
            return Optional.empty();
        }
        throw SpdkErrors.toException("vhost_get_controllers", params().put("name", name), reply.error());
    }

    public List<VhostControllerInfo> vhostControllers() {
        List<VhostControllerInfo> list = new ArrayList<>();
        Json.array(client.call("vhost_get_controllers", null), "vhost_get_controllers")
                .forEach(n -> list.add(VhostControllerInfo.from(n)));
        return list;
    }

    public void createVhostBlkController(String name, String bdevName) {
        client.call("vhost_create_blk_controller", params().put("ctrlr", name).put("dev_name", bdevName));
    }

    public void deleteVhostController(String name) {
        client.call("vhost_delete_controller", params().put("ctrlr", name));
    }
}
