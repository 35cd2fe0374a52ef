package io.openlocal.testinfra.spdk;

import static io.openlocal.testinfra.spdk.ParamDecoder.opt;
import static io.openlocal.testinfra.spdk.ParamDecoder.req;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.openlocal.testinfra.spdk.ParamDecoder.Params;
import io.openlocal.testinfra.spdk.ParamDecoder.Type;
import java.util.Map;

/** bdev_* methods other than lvol ones: malloc, AIO, NVMe attach, listing, examine. */
final class BdevMethods {

    private final TargetState state;
    private final Dumps dumps;

    BdevMethods(TargetState state, Dumps dumps) {
        this.state = state;
        this.dumps = dumps;
    }

    void register(Map<String, RpcHandler> table) {
        RpcException decode = RpcException.decodeFailed();
        table.put("bdev_malloc_create", RpcHandler.decoding(ParamDecoder.strict(decode,
                opt("name", Type.STRING), opt("uuid", Type.UUID), req("num_blocks", Type.UINT64),
                req("block_size", Type.UINT32), opt("physical_block_size", Type.UINT32),
                opt("optimal_io_boundary", Type.UINT32), opt("md_size", Type.UINT32),
                opt("md_interleave", Type.BOOL), opt("dif_type", Type.INT32), opt("dif_is_head_of_md", Type.BOOL),
                opt("dif_pi_format", Type.UINT32), opt("numa_id", Type.INT32)), this::mallocCreate));
        table.put("bdev_malloc_delete", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), p -> delete(p.string("name"), Bdev.Kind.MALLOC)));
        table.put("bdev_aio_create", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING), req("filename", Type.STRING), opt("block_size", Type.UINT32),
                opt("readonly", Type.BOOL), opt("fallocate", Type.BOOL), opt("uuid", Type.UUID),
                opt("nowait", Type.BOOL)), this::aioCreate));
        table.put("bdev_aio_delete", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), p -> delete(p.string("name"), Bdev.Kind.AIO)));
        table.put("bdev_aio_rescan", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), this::aioRescan));
        table.put("bdev_get_bdevs", RpcHandler.optionalParams(ParamDecoder.strict(decode,
                opt("name", Type.STRING), opt("timeout", Type.UINT64)), this::getBdevs));
        table.put("bdev_wait_for_examine", RpcHandler.noParams("bdev_wait_for_examine requires no parameters",
                () -> BooleanNode.TRUE));
        table.put("bdev_nvme_attach_controller", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING), req("trtype", Type.STRING), req("traddr", Type.STRING),
                opt("adrfam", Type.STRING), opt("trsvcid", Type.STRING), opt("priority", Type.STRING),
                opt("subnqn", Type.STRING), opt("hostnqn", Type.STRING), opt("hostaddr", Type.STRING),
                opt("hostsvcid", Type.STRING), opt("prchk_reftag", Type.BOOL), opt("prchk_guard", Type.BOOL),
                opt("hdgst", Type.BOOL), opt("ddgst", Type.BOOL), opt("fabrics_connect_timeout_us", Type.UINT64),
                opt("multipath", Type.STRING), opt("num_io_queues", Type.UINT32),
                opt("ctrlr_loss_timeout_sec", Type.INT32), opt("reconnect_delay_sec", Type.UINT32),
                opt("fast_io_fail_timeout_sec", Type.UINT32), opt("psk", Type.STRING),
                opt("max_bdevs", Type.UINT32), opt("dhchap_key", Type.STRING),
                opt("dhchap_ctrlr_key", Type.STRING), opt("allow_unrecognized_csi", Type.BOOL),
                opt("multipath_opts", Type.OBJECT)), this::nvmeAttach));
        table.put("bdev_nvme_detach_controller", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING), opt("trtype", Type.STRING), opt("traddr", Type.STRING),
                opt("adrfam", Type.STRING), opt("trsvcid", Type.STRING), opt("subnqn", Type.STRING),
                opt("hostaddr", Type.STRING), opt("hostsvcid", Type.STRING)), this::nvmeDetach));
    }

    private JsonNode mallocCreate(Params p) {
        long blockSize = p.number("block_size", 0);
        long numBlocks = p.number("num_blocks", 0);
        if (blockSize < 512 || Long.bitCount(blockSize) != 1 || numBlocks == 0) {
            throw RpcException.errno(Errno.EINVAL);
        }
        String name = p.has("name") ? p.string("name") : "Malloc" + state.mallocCounter++;
        String uuid = p.has("uuid") ? p.string("uuid") : TargetState.newUuid();
        Bdev bdev = new Bdev(Bdev.Kind.MALLOC, name, uuid, (int) blockSize, numBlocks);
        bdev.aliases.add(uuid);
        state.register(bdev);
        state.notifyAll();
        return TextNode.valueOf(name);
    }

    private JsonNode aioCreate(Params p) {
        String name = p.string("name");
        BackingStore store = state.devices.openPath(p.string("filename"));
        if (store == null) {
            throw RpcException.errno(Errno.ENOENT);
        }
        long requested = p.number("block_size", 0);
        int blockSize;
        if (requested == 0) {
            if (store.detectedBlockSize() == 0) {
                throw RpcException.errno(Errno.EINVAL); // "Block size could not be auto-detected"
            }
            blockSize = store.detectedBlockSize();
        } else {
            if (requested < store.detectedBlockSize()) {
                throw RpcException.errno(Errno.EINVAL);
            }
            blockSize = (int) requested;
        }
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1 || store.sizeBytes() % blockSize != 0) {
            throw RpcException.errno(Errno.EINVAL);
        }
        String uuid = p.has("uuid") ? p.string("uuid") : TargetState.newUuid();
        Bdev bdev = new Bdev(Bdev.Kind.AIO, name, uuid, blockSize, store.sizeBytes() / blockSize);
        bdev.aliases.add(uuid);
        bdev.backing = store;
        bdev.filename = p.string("filename");
        bdev.blockSizeOverride = requested != 0;
        bdev.readonly = p.bool("readonly", false);
        bdev.fallocate = p.bool("fallocate", false);
        state.register(bdev);
        state.examine(bdev); // bdev_aio_create answers after examine
        state.notifyAll();
        return TextNode.valueOf(name);
    }

    private JsonNode aioRescan(Params p) {
        Bdev bdev = state.bdev(p.string("name"));
        if (bdev == null || bdev.kind != Bdev.Kind.AIO) {
            throw RpcException.errno(Errno.ENODEV);
        }
        long size = bdev.backing.sizeBytes();
        if (size > 0) {
            bdev.numBlocks = size / bdev.blockSize;
        }
        return BooleanNode.TRUE;
    }

    private JsonNode delete(String name, Bdev.Kind kind) {
        Bdev bdev = state.bdev(name);
        if (bdev == null || bdev.kind != kind) {
            throw RpcException.errno(Errno.ENODEV);
        }
        state.unregister(bdev);
        return BooleanNode.TRUE;
    }

    private JsonNode getBdevs(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.has("name")) {
            String name = p.string("name");
            long deadline = System.currentTimeMillis() + p.number("timeout", 0);
            Bdev bdev = state.bdev(name);
            while (bdev == null && System.currentTimeMillis() < deadline) {
                try {
                    state.wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                bdev = state.bdev(name);
            }
            if (bdev == null) {
                throw RpcException.errno(Errno.ENODEV);
            }
            result.add(dumps.bdev(bdev));
            return result;
        }
        state.bdevs.values().forEach(b -> result.add(dumps.bdev(b)));
        return result;
    }

    private JsonNode nvmeAttach(Params p) {
        String name = p.string("name");
        if (!"pcie".equalsIgnoreCase(p.string("trtype"))) {
            // Only local PCIe controllers are emulated; fabrics controllers would need a remote target.
            throw new RpcException(Errno.EINVAL.code(), "Failed to parse trtype: " + p.string("trtype"));
        }
        String pci = p.string("traddr");
        for (Bdev b : state.bdevs.values()) {
            if (b.kind == Bdev.Kind.NVME && pci.equals(b.pciAddress)) {
                throw RpcException.errno(Errno.EEXIST);
            }
            if (b.kind == Bdev.Kind.NVME && name.equals(b.controllerName)) {
                throw new RpcException(Errno.EALREADY.code(),
                        "A controller named " + name + " already exists with the specified network path");
            }
        }
        if (name.isEmpty() || name.length() >= 64) {
            throw RpcException.errno(Errno.EINVAL);
        }
        BackingStore store = state.devices.openNvme(pci);
        if (store == null) {
            throw RpcException.errno(Errno.ENODEV);
        }
        String uuid = TargetState.newUuid();
        Bdev bdev = new Bdev(Bdev.Kind.NVME, name + "n1", uuid, 512, store.sizeBytes() / 512);
        bdev.aliases.add(uuid);
        bdev.backing = store;
        bdev.controllerName = name;
        bdev.pciAddress = pci;
        state.register(bdev);
        state.examine(bdev);
        state.notifyAll();
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        names.add(bdev.name);
        return names;
    }

    private JsonNode nvmeDetach(Params p) {
        String name = p.string("name");
        Bdev found = null;
        for (Bdev b : state.bdevs.values()) {
            if (b.kind == Bdev.Kind.NVME && name.equals(b.controllerName)) {
                found = b;
            }
        }
        if (found == null) {
            throw RpcException.errno(Errno.ENODEV);
        }
        state.unregister(found);
        return BooleanNode.TRUE;
    }
}
