package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The JSON objects the target returns for bdevs, lvstores, lvols, subsystems, transports and vhost
 * controllers, member for member in the target's order (see the recorded transcript).
 */
final class Dumps {

    private static final List<String> IO_TYPES = List.of("read", "write", "unmap", "flush", "reset",
            "nvme_admin", "nvme_io", "nvme_io_md", "write_zeroes", "zcopy", "get_zone_info", "zone_management",
            "zone_append", "compare", "compare_and_write", "abort", "seek_hole", "seek_data", "copy",
            "nvme_iov_md", "nvme_nssr", "write_uncorrectable");
    private static final Set<String> MALLOC_IO = Set.of("read", "write", "unmap", "flush", "reset",
            "write_zeroes", "zcopy", "compare", "abort", "copy");
    private static final Set<String> LVOL_IO = Set.of("read", "write", "unmap", "reset", "write_zeroes",
            "seek_hole", "seek_data");
    private static final Set<String> LVOL_READ_ONLY_IO = Set.of("read", "reset", "seek_hole", "seek_data");
    private static final Set<String> AIO_IO = Set.of("read", "write", "flush", "reset", "write_zeroes");
    private static final Set<String> AIO_FALLOCATE_IO = Set.of("read", "write", "unmap", "flush", "reset",
            "write_zeroes");
    private static final Set<String> NVME_IO = Set.of("read", "write", "unmap", "flush", "reset", "nvme_admin",
            "nvme_io", "write_zeroes", "compare", "compare_and_write", "abort", "copy");

    private final ObjectMapper mapper;

    Dumps(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode bdev(Bdev bdev) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", bdev.name);
        ArrayNode aliases = o.putArray("aliases");
        bdev.aliases.forEach(aliases::add);
        o.put("product_name", productName(bdev));
        o.put("block_size", bdev.blockSize);
        o.put("num_blocks", bdev.numBlocks);
        o.put("preferred_write_alignment", 0);
        o.put("preferred_write_granularity", 0);
        o.put("optimal_write_size", 0);
        o.put("preferred_unmap_alignment", 0);
        o.put("preferred_unmap_granularity", 0);
        o.put("uuid", bdev.uuid);
        if (bdev.kind == Bdev.Kind.MALLOC || bdev.kind == Bdev.Kind.LVOL) {
            o.put("numa_id", -1);
        }
        ObjectNode limits = o.putObject("assigned_rate_limits");
        limits.put("rw_ios_per_sec", 0).put("rw_mbytes_per_sec", 0).put("r_mbytes_per_sec", 0)
                .put("w_mbytes_per_sec", 0);
        o.put("claimed", bdev.claimed());
        if (bdev.claimed()) {
            o.put("claim_type", bdev.claimType);
        }
        o.put("zoned", false);
        ObjectNode io = o.putObject("supported_io_types");
        Set<String> supported = supportedIo(bdev);
        for (String type : IO_TYPES) {
            io.put(type, supported.contains(type));
        }
        if (bdev.kind == Bdev.Kind.LVOL) {
            ArrayNode domains = o.putArray("memory_domains");
            domains.addObject().put("dma_device_type", "DMA");
            domains.addObject().put("dma_device_type", "ACCEL");
        }
        ObjectNode driver = o.putObject("driver_specific");
        switch (bdev.kind) {
            case AIO -> driver.putObject("aio").put("filename", bdev.filename)
                    .put("block_size_override", bdev.blockSizeOverride).put("readonly", bdev.readonly)
                    .put("fallocate", bdev.fallocate).put("nowait", false);
            case LVOL -> lvolDriverSpecific(driver.putObject("lvol"), bdev.lvol);
            case NVME -> {
                ObjectNode ns = driver.putArray("nvme").addObject();
                ns.put("pci_address", bdev.pciAddress);
                ns.putObject("trid").put("trtype", "PCIe").put("traddr", bdev.pciAddress);
                ns.putObject("ns_data").put("id", 1);
            }
            case MALLOC -> {
            }
        }
        return o;
    }

    private static String productName(Bdev bdev) {
        return switch (bdev.kind) {
            case MALLOC -> "Malloc disk";
            case AIO -> "AIO disk";
            case NVME -> "NVMe disk";
            case LVOL -> "Logical Volume";
        };
    }

    private static Set<String> supportedIo(Bdev bdev) {
        return switch (bdev.kind) {
            case MALLOC -> MALLOC_IO;
            case AIO -> bdev.fallocate ? AIO_FALLOCATE_IO : AIO_IO;
            case NVME -> NVME_IO;
            case LVOL -> bdev.lvol.readOnly || bdev.lvol.snapshot ? LVOL_READ_ONLY_IO : LVOL_IO;
        };
    }

    private static void lvolDriverSpecific(ObjectNode o, Lvol lvol) {
        o.put("lvol_store_uuid", lvol.lvs.uuid);
        o.put("base_bdev", lvol.lvs.base.name);
        o.put("thin_provision", lvol.thin);
        o.put("num_allocated_clusters", lvol.allocatedClusters);
        o.put("snapshot", lvol.snapshot);
        o.put("clone", lvol.isClone());
        if (lvol.isClone()) {
            o.put("base_snapshot", lvol.parent.name);
        }
        if (lvol.snapshot && !lvol.clones.isEmpty()) {
            ArrayNode clones = o.putArray("clones");
            lvol.clones.forEach(c -> clones.add(c.name));
        }
        o.put("esnap_clone", false);
    }

    ObjectNode lvstore(Lvstore lvs) {
        ObjectNode o = mapper.createObjectNode();
        o.put("uuid", lvs.uuid);
        o.put("name", lvs.name);
        o.put("base_bdev", lvs.base.name);
        o.put("total_data_clusters", lvs.dataClusters());
        o.put("free_clusters", lvs.freeClusters());
        o.put("block_size", lvs.base.blockSize);
        o.put("cluster_size", lvs.clusterSize);
        o.put("max_growable_size", lvs.maxGrowableBytes());
        return o;
    }

    ObjectNode lvol(Lvol lvol) {
        ObjectNode o = mapper.createObjectNode();
        o.put("alias", lvol.alias());
        o.put("uuid", lvol.uuid);
        o.put("name", lvol.name);
        o.put("is_thin_provisioned", lvol.thin);
        o.put("is_snapshot", lvol.snapshot);
        o.put("is_clone", lvol.isClone());
        o.put("is_esnap_clone", false);
        o.put("is_degraded", false);
        o.put("num_allocated_clusters", lvol.allocatedClusters);
        o.putObject("lvs").put("name", lvol.lvs.name).put("uuid", lvol.lvs.uuid);
        return o;
    }

    ObjectNode listener(NvmfSubsystem.Listener l) {
        ObjectNode o = mapper.createObjectNode();
        o.put("trtype", l.trtype()).put("adrfam", l.adrfam()).put("traddr", l.traddr()).put("trsvcid", l.trsvcid());
        return o;
    }

    ObjectNode subsystem(NvmfSubsystem s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("nqn", s.nqn);
        o.put("subtype", s.discovery ? "Discovery" : "NVMe");
        ArrayNode listeners = o.putArray("listen_addresses");
        s.listeners.forEach(l -> listeners.add(listener(l)));
        o.put("allow_any_host", s.allowAnyHost);
        ArrayNode hosts = o.putArray("hosts");
        s.hosts.forEach(h -> hosts.addObject().put("nqn", h));
        if (!s.discovery) {
            o.put("serial_number", s.serialNumber);
            o.put("model_number", s.modelNumber);
            o.put("max_namespaces", s.maxNamespaces);
            o.put("passthrough", false);
            o.put("min_cntlid", 1);
            o.put("max_cntlid", 65519);
            o.put("dmrsl", 2097152);
            o.put("wzsl", 12);
            ArrayNode namespaces = o.putArray("namespaces");
            for (NvmfSubsystem.Namespace ns : s.namespaces.values()) {
                namespaces.addObject().put("nsid", ns.nsid).put("bdev_name", ns.bdev.name).put("name", ns.bdev.name)
                        .put("nguid", ns.nguid).put("uuid", ns.uuid);
            }
        }
        return o;
    }

    ObjectNode tcpTransport() {
        ObjectNode o = mapper.createObjectNode();
        o.put("trtype", "TCP").put("max_queue_depth", 128).put("max_io_qpairs_per_ctrlr", 127)
                .put("in_capsule_data_size", 4096).put("max_io_size", 131072).put("max_aq_depth", 128)
                .put("iobuf_small_cache_size", 4294967295L).put("iobuf_large_cache_size", 4294967295L)
                .put("dif_insert_or_strip", false).put("zcopy", false).put("c2h_success", true)
                .put("sock_priority", 0).put("abort_timeout_sec", 1).put("ack_timeout", 0)
                .put("data_wr_pool_size", 0).put("disable_command_passthru", false).put("kas", 100)
                .put("min_kato", 10000);
        return o;
    }

    ObjectNode vhostController(VhostController c) {
        ObjectNode o = mapper.createObjectNode();
        o.put("ctrlr", c.name);
        o.put("cpumask", "0x1");
        o.put("delay_base_us", 0);
        o.put("iops_threshold", 60000);
        o.put("socket", c.socket.toString());
        o.putArray("sessions");
        ObjectNode block = o.putObject("backend_specific").putObject("block");
        block.put("readonly", false);
        if (c.bdev == null) {
            block.putNull("bdev");
        } else {
            block.put("bdev", c.bdev.name);
        }
        block.put("transport", "vhost_user_blk");
        return o;
    }
}
