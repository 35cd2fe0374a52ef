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
import java.util.Set;

/**
 * bdev_lvol_* methods with the blobstore's rules: sizes round up to whole clusters, thick lvols take their
 * clusters at once, a snapshot takes over its origin's clusters and the origin becomes a thin clone of it,
 * a snapshot with two or more clones cannot be deleted, deleting a snapshot with one clone hands its
 * clusters to that clone. Errors carry the code the target uses for each path: the errno itself for checks
 * made before the blobstore is involved, -32602 with strerror for failures in the blobstore callbacks.
 */
final class LvolMethods {

    private static final long MiB = 1024L * 1024;
    private static final long DEFAULT_CLUSTER_SIZE = 4 * MiB;
    private static final int NAME_MAX = 64;
    private static final Set<String> CLEAR_METHODS = Set.of("none", "unmap", "write_zeroes");

    private final TargetState state;
    private final Dumps dumps;

    LvolMethods(TargetState state, Dumps dumps) {
        this.state = state;
        this.dumps = dumps;
    }

    void register(Map<String, RpcHandler> table) {
        RpcException decode = RpcException.decodeFailed();
        table.put("bdev_lvol_create_lvstore", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("bdev_name", Type.STRING), opt("cluster_sz", Type.UINT32), req("lvs_name", Type.STRING),
                opt("clear_method", Type.STRING), opt("num_md_pages_per_cluster_ratio", Type.UINT32),
                opt("md_page_size", Type.UINT32)), this::createLvstore));
        table.put("bdev_lvol_delete_lvstore", RpcHandler.decoding(ParamDecoder.strict(decode,
                opt("uuid", Type.STRING), opt("lvs_name", Type.STRING)), this::deleteLvstore));
        table.put("bdev_lvol_get_lvstores", RpcHandler.optionalParams(ParamDecoder.strict(decode,
                opt("uuid", Type.STRING), opt("lvs_name", Type.STRING)), this::getLvstores));
        table.put("bdev_lvol_grow_lvstore", RpcHandler.decoding(ParamDecoder.strict(decode,
                opt("uuid", Type.STRING), opt("lvs_name", Type.STRING)), this::growLvstore));
        table.put("bdev_lvol_create", RpcHandler.decoding(ParamDecoder.strict(decode,
                opt("uuid", Type.STRING), opt("lvs_name", Type.STRING), req("lvol_name", Type.STRING),
                req("size_in_mib", Type.UINT64), opt("thin_provision", Type.BOOL),
                opt("clear_method", Type.STRING)), this::createLvol));
        table.put("bdev_lvol_get_lvols", RpcHandler.optionalParams(ParamDecoder.strict(decode,
                opt("lvs_uuid", Type.STRING), opt("lvs_name", Type.STRING)), this::getLvols));
        table.put("bdev_lvol_snapshot", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("lvol_name", Type.STRING), req("snapshot_name", Type.STRING)), this::snapshot));
        table.put("bdev_lvol_clone", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("snapshot_name", Type.STRING), req("clone_name", Type.STRING)), this::clone));
        table.put("bdev_lvol_rename", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("old_name", Type.STRING), req("new_name", Type.STRING)), this::rename));
        table.put("bdev_lvol_inflate", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), this::inflate));
        table.put("bdev_lvol_resize", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING), req("size_in_mib", Type.UINT64)), this::resize));
        table.put("bdev_lvol_set_read_only", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), this::setReadOnly));
        table.put("bdev_lvol_delete", RpcHandler.decoding(ParamDecoder.strict(decode,
                req("name", Type.STRING)), this::delete));
    }

    // ---- lvstores ----

    private JsonNode createLvstore(Params p) {
        if (p.has("clear_method") && !CLEAR_METHODS.contains(p.string("clear_method").toLowerCase())) {
            throw new RpcException(Errno.EINVAL.code(), "Invalid clear_method parameter");
        }
        String name = p.string("lvs_name");
        if (name.isEmpty() || name.length() >= NAME_MAX) {
            throw RpcException.errno(Errno.EINVAL);
        }
        Bdev base = state.bdev(p.string("bdev_name"));
        if (base == null) {
            throw RpcException.errno(Errno.ENODEV);
        }
        if (base.claimed() || vhostUses(base)) {
            throw RpcException.errno(Errno.EPERM); // opening a claimed bdev for writing is refused
        }
        long clusterSize = p.number("cluster_sz", 0) == 0 ? DEFAULT_CLUSTER_SIZE : p.number("cluster_sz", 0);
        if (clusterSize < base.blockSize || clusterSize % base.blockSize != 0) {
            throw RpcException.errno(Errno.EINVAL);
        }
        if (state.lvstoreNamed(name) != null) {
            throw RpcException.errno(Errno.EEXIST);
        }
        if (clusterSize % LvstoreGeometry.PAGE_SIZE != 0) {
            throw RpcException.invalidParams(Errno.EINVAL);
        }
        long ratio = p.number("num_md_pages_per_cluster_ratio", 0) == 0 ? 100
                : p.number("num_md_pages_per_cluster_ratio", 0);
        LvstoreGeometry geometry = LvstoreGeometry.forNewStore(base.sizeBytes(), clusterSize, ratio);
        if (geometry == null) {
            throw RpcException.invalidParams(base.sizeBytes() / clusterSize == 0 ? Errno.EINVAL : Errno.ENOMEM);
        }
        Lvstore lvs = new Lvstore(TargetState.newUuid(), name, base, clusterSize, geometry);
        base.claimType = "exclusive_write";
        state.lvstores.add(lvs);
        state.persist(lvs);
        return TextNode.valueOf(lvs.uuid);
    }

    private boolean vhostUses(Bdev bdev) {
        return state.vhostControllers.values().stream().anyMatch(c -> c.bdev == bdev);
    }

    /** The lvstore named by exactly one of uuid and name; neither or both is EINVAL, as on the target. */
    private Lvstore lvstoreByUuidXorName(String uuid, String name) {
        if ((uuid == null) == (name == null)) {
            throw RpcException.errno(Errno.EINVAL);
        }
        Lvstore lvs = uuid != null ? state.lvstoreWithUuid(uuid) : state.lvstoreNamed(name);
        if (lvs == null) {
            throw RpcException.errno(Errno.ENODEV);
        }
        return lvs;
    }

    private JsonNode deleteLvstore(Params p) {
        Lvstore lvs = lvstoreByUuidXorName(p.string("uuid"), p.string("lvs_name"));
        state.unload(lvs);
        if (lvs.base.backing != null) {
            lvs.base.backing.eraseMetadata();
        }
        return BooleanNode.TRUE;
    }

    private JsonNode getLvstores(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.given()) {
            result.add(dumps.lvstore(lvstoreByUuidXorName(p.string("uuid"), p.string("lvs_name"))));
        } else {
            state.lvstores.forEach(l -> result.add(dumps.lvstore(l)));
        }
        return result;
    }

    private JsonNode growLvstore(Params p) {
        Lvstore lvs = lvstoreByUuidXorName(p.string("uuid"), p.string("lvs_name"));
        long deviceBytes = lvs.base.sizeBytes();
        long clusters = deviceBytes / lvs.clusterSize;
        if (clusters == lvs.geometry.totalClusters()) {
            return BooleanNode.TRUE;
        }
        LvstoreGeometry grown = clusters < lvs.geometry.totalClusters() ? null
                : lvs.geometry.grownTo(deviceBytes, lvs.clusterSize);
        if (grown == null) {
            throw RpcException.invalidParams(Errno.ENOSPC);
        }
        lvs.geometry = grown;
        state.persist(lvs);
        return BooleanNode.TRUE;
    }

    // ---- lvols ----

    private void verifyNewName(Lvstore lvs, String name, boolean inCallback) {
        Errno problem = null;
        if (name.isEmpty() || name.length() >= NAME_MAX) {
            problem = Errno.EINVAL;
        } else if (lvs.lvolNamed(name) != null || state.bdev(lvs.name + "/" + name) != null) {
            problem = Errno.EEXIST;
        }
        if (problem != null) {
            throw inCallback ? RpcException.invalidParams(problem) : RpcException.errno(problem);
        }
    }

    private long clustersFor(Lvstore lvs, long sizeInMiB) {
        if (sizeInMiB < 0 || sizeInMiB > Long.MAX_VALUE / MiB) {
            throw RpcException.invalidParams(Errno.ENOMEM);
        }
        long bytes = sizeInMiB * MiB;
        return (bytes + lvs.clusterSize - 1) / lvs.clusterSize;
    }

    private JsonNode createLvol(Params p) {
        Lvstore lvs = lvstoreByUuidXorName(p.string("uuid"), p.string("lvs_name"));
        String clear = p.string("clear_method");
        if (clear != null && !CLEAR_METHODS.contains(clear.toLowerCase())) {
            throw new RpcException(Errno.EINVAL.code(), "Invalid clean_method option");
        }
        String name = p.string("lvol_name");
        verifyNewName(lvs, name, false);
        boolean thin = p.bool("thin_provision", false);
        long clusters = clustersFor(lvs, p.number("size_in_mib", 0));
        if (!thin && clusters > lvs.freeClusters()) {
            throw RpcException.invalidParams(Errno.ENOSPC);
        }
        Lvol lvol = new Lvol(TargetState.newUuid(), name, lvs);
        lvol.numClusters = clusters;
        lvol.thin = thin;
        lvol.allocatedClusters = thin ? 0 : clusters;
        lvol.clearMethod = clear;
        lvs.lvols.add(lvol);
        state.registerLvol(lvol);
        state.persist(lvs);
        return TextNode.valueOf(lvol.uuid);
    }

    /** The lvol behind a bdev name or alias (snapshot, clone, rename, resize, inflate, read-only). */
    private Lvol lvolByBdevName(String name) {
        Bdev bdev = state.bdev(name);
        if (bdev == null || bdev.kind != Bdev.Kind.LVOL) {
            throw RpcException.errno(Errno.ENODEV);
        }
        return bdev.lvol;
    }

    private JsonNode getLvols(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.given()) {
            lvstoreByUuidXorName(p.string("lvs_uuid"), p.string("lvs_name")).lvols
                    .forEach(l -> result.add(dumps.lvol(l)));
        } else {
            state.lvstores.forEach(lvs -> lvs.lvols.forEach(l -> result.add(dumps.lvol(l))));
        }
        return result;
    }

    private JsonNode snapshot(Params p) {
        Lvol origin = lvolByBdevName(p.string("lvol_name"));
        Lvstore lvs = origin.lvs;
        String name = p.string("snapshot_name");
        verifyNewName(lvs, name, true);
        if (origin.readOnly || origin.snapshot) {
            throw RpcException.invalidParams(Errno.EINVAL);
        }
        Lvol snap = new Lvol(TargetState.newUuid(), name, lvs);
        snap.numClusters = origin.numClusters;
        snap.thin = origin.thin;
        snap.allocatedClusters = origin.allocatedClusters;
        snap.readOnly = true;
        snap.snapshot = true;
        snap.clearMethod = origin.clearMethod;
        // The snapshot takes the origin's place in the chain; the origin becomes its thin clone.
        snap.parent = origin.parent;
        if (origin.parent != null) {
            origin.parent.clones.set(origin.parent.clones.indexOf(origin), snap);
        }
        snap.clones.add(origin);
        origin.parent = snap;
        origin.thin = true;
        origin.allocatedClusters = 0;
        lvs.lvols.add(snap);
        state.registerLvol(snap);
        state.persist(lvs);
        return TextNode.valueOf(snap.uuid);
    }

    private JsonNode clone(Params p) {
        Lvol source = lvolByBdevName(p.string("snapshot_name"));
        Lvstore lvs = source.lvs;
        String name = p.string("clone_name");
        verifyNewName(lvs, name, true);
        if (!source.readOnly && !source.snapshot) {
            throw RpcException.invalidParams(Errno.EINVAL); // "Clone not from read-only blob"
        }
        Lvol clone = new Lvol(TargetState.newUuid(), name, lvs);
        clone.numClusters = source.numClusters;
        clone.thin = true;
        clone.parent = source;
        clone.clearMethod = source.clearMethod;
        source.clones.add(clone);
        source.snapshot = true;
        lvs.lvols.add(clone);
        state.registerLvol(clone);
        state.persist(lvs);
        return TextNode.valueOf(clone.uuid);
    }

    private JsonNode rename(Params p) {
        Lvol lvol = lvolByBdevName(p.string("old_name"));
        String newName = p.string("new_name");
        if (newName.equals(lvol.name)) {
            return BooleanNode.TRUE;
        }
        if (lvol.lvs.lvolNamed(newName) != null || state.bdev(lvol.lvs.name + "/" + newName) != null) {
            throw RpcException.invalidParams(Errno.EEXIST);
        }
        if (lvol.readOnly || lvol.snapshot) {
            throw RpcException.invalidParams(Errno.EPERM);
        }
        lvol.bdev.aliases.set(0, lvol.lvs.name + "/" + newName);
        lvol.name = newName;
        state.persist(lvol.lvs);
        return BooleanNode.TRUE;
    }

    private JsonNode inflate(Params p) {
        Lvol lvol = lvolByBdevName(p.string("name"));
        if (!lvol.thin) {
            return BooleanNode.TRUE;
        }
        long needed = lvol.numClusters - lvol.allocatedClusters;
        if (needed > lvol.lvs.freeClusters()) {
            throw RpcException.invalidParams(Errno.ENOSPC);
        }
        lvol.allocatedClusters = lvol.numClusters;
        lvol.thin = false;
        if (lvol.parent != null) {
            lvol.parent.clones.remove(lvol);
            lvol.parent = null;
        }
        state.persist(lvol.lvs);
        return BooleanNode.TRUE;
    }

    private JsonNode resize(Params p) {
        Bdev bdev = state.bdev(p.string("name"));
        if (bdev == null || bdev.kind != Bdev.Kind.LVOL) {
            throw RpcException.errno(Errno.ENODEV);
        }
        Lvol lvol = bdev.lvol;
        if (lvol.readOnly || lvol.snapshot) {
            throw RpcException.invalidParams(Errno.EPERM);
        }
        long clusters = clustersFor(lvol.lvs, p.number("size_in_mib", 0));
        if (clusters == lvol.numClusters) {
            return BooleanNode.TRUE;
        }
        if (clusters > lvol.numClusters && !lvol.thin) {
            long extra = clusters - lvol.numClusters;
            if (extra > lvol.lvs.freeClusters()) {
                throw RpcException.invalidParams(Errno.ENOSPC);
            }
            lvol.allocatedClusters += extra;
        } else if (clusters < lvol.numClusters) {
            lvol.allocatedClusters = Math.min(lvol.allocatedClusters, clusters);
        }
        lvol.numClusters = clusters;
        state.resizeLvolBdev(lvol);
        state.persist(lvol.lvs);
        return BooleanNode.TRUE;
    }

    private JsonNode setReadOnly(Params p) {
        Lvol lvol = lvolByBdevName(p.string("name"));
        lvol.readOnly = true;
        state.persist(lvol.lvs);
        return BooleanNode.TRUE;
    }

    private JsonNode delete(Params p) {
        String name = p.string("name");
        Lvol lvol = null;
        Bdev bdev = state.bdev(name);
        if (bdev != null && bdev.kind == Bdev.Kind.LVOL) {
            lvol = bdev.lvol;
        } else if (name.contains("/")) {
            Lvstore lvs = state.lvstoreNamed(name.substring(0, name.indexOf('/')));
            lvol = lvs == null ? null : lvs.lvolNamed(name.substring(name.indexOf('/') + 1));
        }
        if (lvol == null) {
            throw RpcException.errno(Errno.ENODEV);
        }
        if (lvol.clones.size() > 1) {
            throw RpcException.internal(Errno.EPERM);
        }
        Lvstore lvs = lvol.lvs;
        if (lvol.clones.size() == 1) {
            // The only clone inherits the snapshot's data and its place in the chain.
            Lvol heir = lvol.clones.getFirst();
            heir.allocatedClusters = Math.min(heir.numClusters, heir.allocatedClusters + lvol.allocatedClusters);
            heir.parent = lvol.parent;
            if (lvol.parent != null) {
                lvol.parent.clones.set(lvol.parent.clones.indexOf(lvol), heir);
            }
            lvol.clones.clear();
        } else if (lvol.parent != null) {
            lvol.parent.clones.remove(lvol);
        }
        state.unregister(lvol.bdev);
        lvs.lvols.remove(lvol);
        state.persist(lvs);
        return BooleanNode.TRUE;
    }
}
