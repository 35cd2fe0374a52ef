package io.openlocal.backend.spdk.export;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.SpdkContext;
import io.openlocal.backend.spdk.SpdkNames;
import io.openlocal.backend.spdk.SpdkSettings;
import io.openlocal.backend.spdk.state.ExportRecord;
import io.openlocal.backend.spdk.target.BdevInfo;
import io.openlocal.backend.spdk.target.SpdkTarget;
import io.openlocal.backend.spdk.target.SubsystemInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Exports of SPDK volumes (not part of the Backend SPI):
 * <ul>
 *   <li>NVMe-oF/TCP: the TCP transport (created once), one subsystem per volume named
 *       {@code <nqnPrefix>:<node>:<pool>:<volume>}, allow_any_host false with only this node's host NQN
 *       allowed, the lvol as namespace (its UUID as namespace UUID, so the host finds the block device by
 *       it), and a listener on the configured address and port;</li>
 *   <li>vhost-user-blk: a controller named {@code <pool>@<volume>} whose socket is in the configured
 *       directory, for VM runtimes.</li>
 * </ul>
 * A volume has at most one export. Each export is recorded durably before it is made, so recovery can
 * restore it after the target restarts; exporting and unexporting are idempotent.
 */
public final class SpdkExports {

    static final String MODEL_NUMBER = "Open-Local SPDK volume";

    private final SpdkContext ctx;

    public SpdkExports(SpdkContext ctx) {
        this.ctx = ctx;
    }

    /** The subsystem NQN a volume is (or would be) exported under. */
    public String nqnOf(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        return Nqn.forVolume(ctx.settings().nqnPrefix(), ctx.nodeName(), ref.pool(), ref.name());
    }

    /** The vhost controller name of a volume. */
    public static String controllerOf(VolumeRef ref) {
        return ref.pool() + "@" + ref.name();
    }

    private Path socketOf(VolumeRef ref) {
        Path socket = ctx.settings().vhostSocketDir().resolve(controllerOf(ref));
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new StorageException.InvalidArgument("volume " + ref + ": vhost socket path " + socket
                    + " is longer than 107 bytes; use a shorter " + SpdkSettings.VHOST_SOCKET_DIR + " or names");
        }
        return socket;
    }

    /** Exports a volume over NVMe-oF/TCP (or returns its export). */
    public NvmfExport exportNvmf(VolumeRef ref) {
        String nqn = nqnOf(ref);
        SpdkSettings s = ctx.settings();
        return ctx.guardedOnPool(ref.pool(), "the NVMe-oF export of " + ref, () -> {
            BdevInfo lvol = ctx.requireOwnedVolume(ref);
            refuseOtherKind(ref, ExportRecord.NVMF);
            ExportRecord record = new ExportRecord(ref.pool(), ref.name(), ExportRecord.NVMF, lvol.uuid(), nqn,
                    s.hostNqn(), s.nvmfAddress(), s.nvmfAdrfam(), s.nvmfPort(), null);
            ctx.store().update(st -> st.withExports(m -> m.put(record.key(), record)));
            boolean existed = ctx.target().subsystem(nqn).isPresent();
            try {
                int nsid = ensureNvmf(record);
                return new NvmfExport(ref, nqn, s.nvmfAddress(), s.nvmfAdrfam(), s.nvmfPort(), s.hostNqn(), nsid,
                        lvol.uuid());
            } catch (RuntimeException e) {
                ctx.store().update(st -> st.withExports(m -> m.remove(record.key())));
                if (!existed) {
                    deleteSubsystemQuietly(nqn);
                }
                throw e;
            }
        });
    }

    /** Exports a volume as a vhost-user-blk controller (or returns its export). */
    public VhostExport exportVhost(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        Path socket = socketOf(ref);
        String controller = controllerOf(ref);
        return ctx.guardedOnPool(ref.pool(), "the vhost export of " + ref, () -> {
            BdevInfo lvol = ctx.requireOwnedVolume(ref);
            refuseOtherKind(ref, ExportRecord.VHOST);
            ExportRecord record = new ExportRecord(ref.pool(), ref.name(), ExportRecord.VHOST, lvol.uuid(), null, null,
                    null, null, 0, controller);
            ctx.store().update(st -> st.withExports(m -> m.put(record.key(), record)));
            try {
                return new VhostExport(ref, controller, ensureVhost(record).orElse(socket));
            } catch (RuntimeException e) {
                ctx.store().update(st -> st.withExports(m -> m.remove(record.key())));
                throw e;
            }
        });
    }

    private void refuseOtherKind(VolumeRef ref, String kind) {
        ExportRecord existing = ctx.store().get().exports().get(ref.pool() + "/" + ref.name());
        if (existing != null && !existing.kind().equals(kind)) {
            throw new StorageException.AlreadyExists("volume " + ref + " is already exported as " + existing.kind()
                    + "; unexport it first");
        }
    }

    /** Removes whatever export a volume has; absent is success. */
    public void unexport(VolumeRef ref) {
        SpdkNames.ref("volume", ref);
        ctx.guardedOnPool(ref.pool(), "the unexport of " + ref, () -> {
            unexportLocked(ref);
            return null;
        });
    }

    /** Unexport for callers already holding the pool's lock inside a guarded operation (volume deletion). */
    public void unexportLocked(VolumeRef ref) {
        String nqn = null;
        try {
            nqn = nqnOf(ref);
        } catch (StorageException.InvalidArgument e) {
            // Names too long for an NQN were never exported over NVMe-oF.
        }
        if (nqn != null && ctx.target().subsystem(nqn).isPresent()) {
            try {
                ctx.target().deleteSubsystem(nqn);
            } catch (StorageException.InvalidArgument e) {
                if (ctx.target().subsystem(nqn).isPresent()) {
                    throw e;
                } // deleted meanwhile
            }
        }
        String controller = controllerOf(ref);
        if (ctx.target().vhostController(controller).isPresent()) {
            ctx.target().deleteVhostController(controller);
        }
        ctx.store().update(st -> st.withExports(m -> m.remove(ref.pool() + "/" + ref.name())));
    }

    /** Unexports every volume of a pool (before the pool is deleted). */
    public void unexportPoolLocked(String pool) {
        for (ExportRecord r : List.copyOf(ctx.store().get().exports().values())) {
            if (r.pool().equals(pool)) {
                unexportLocked(new VolumeRef(PoolType.SPDK, r.pool(), r.volume()));
            }
        }
    }

    /**
     * Makes the target match an export record (recovery and export). Returns the namespace id for NVMe-oF.
     * The lvol is found by its UUID, so the record still works after the target restarted.
     */
    public String restore(ExportRecord record) {
        if (ctx.target().bdev(record.lvolUuid()).isEmpty()) {
            throw new StorageException.NotFound("volume " + record.key() + " (lvol " + record.lvolUuid()
                    + ") is not on the target");
        }
        if (record.kind().equals(ExportRecord.NVMF)) {
            int nsid = ensureNvmf(record);
            return "nvmf " + record.nqn() + " nsid " + nsid;
        }
        ensureVhost(record);
        return "vhost " + record.controller();
    }

    private int ensureNvmf(ExportRecord r) {
        SpdkTarget target = ctx.target();
        target.ensureTransport("TCP");
        if (target.subsystem(r.nqn()).isEmpty()) {
            try {
                target.createSubsystem(r.nqn(), serialNumber(r.nqn()), MODEL_NUMBER);
            } catch (StorageException.AlreadyExists e) {
                // Created meanwhile; continue with it.
            }
        }
        SubsystemInfo sub = target.subsystem(r.nqn()).orElseThrow(() -> new StorageException.Unavailable(
                "subsystem " + r.nqn() + " vanished while it was being set up"));
        if (!sub.hosts().contains(r.hostNqn())) {
            target.addHost(r.nqn(), r.hostNqn());
        }
        Integer nsid = null;
        for (SubsystemInfo.Namespace ns : sub.namespaces()) {
            if (ns.bdevName().equals(r.lvolUuid())) {
                nsid = ns.nsid();
            } else {
                target.removeNamespace(r.nqn(), ns.nsid()); // a stale lvol (re-created under the same name)
            }
        }
        if (nsid == null) {
            nsid = target.addNamespace(r.nqn(), r.lvolUuid(), r.lvolUuid());
        }
        SubsystemInfo.ListenAddress listener = new SubsystemInfo.ListenAddress("TCP", r.adrfam(), r.address(),
                String.valueOf(r.port()));
        if (sub.listeners().stream().noneMatch(l -> sameListener(l, listener))) {
            target.addListener(r.nqn(), listener);
        }
        return nsid;
    }

    private static boolean sameListener(SubsystemInfo.ListenAddress a, SubsystemInfo.ListenAddress b) {
        return a.trtype().equalsIgnoreCase(b.trtype()) && a.adrfam().equalsIgnoreCase(b.adrfam())
                && a.traddr().equals(b.traddr()) && a.trsvcid().equals(b.trsvcid());
    }

    private Optional<Path> ensureVhost(ExportRecord r) {
        SpdkTarget target = ctx.target();
        var existing = target.vhostController(r.controller());
        if (existing.isPresent() && existing.get().bdev().filter(r.lvolUuid()::equals).isPresent()) {
            return Optional.of(Path.of(existing.get().socket()));
        }
        if (existing.isPresent()) {
            target.deleteVhostController(r.controller()); // its lvol was deleted or replaced
        }
        target.createVhostBlkController(r.controller(), r.lvolUuid());
        return target.vhostController(r.controller()).map(c -> Path.of(c.socket()));
    }

    private void deleteSubsystemQuietly(String nqn) {
        try {
            if (ctx.target().subsystem(nqn).isPresent()) {
                ctx.target().deleteSubsystem(nqn);
            }
        } catch (StorageException e) {
            // The original failure is reported; a leftover subsystem is adopted by the next export or
            // removed by unexport, both of which find it by name.
        }
    }

    /** The NVMe-oF exports on record (nsid 0: not looked up on the target; exportNvmf returns the live one). */
    public List<NvmfExport> nvmfExports() {
        List<NvmfExport> list = new ArrayList<>();
        for (ExportRecord r : ctx.store().get().exports().values()) {
            if (r.kind().equals(ExportRecord.NVMF)) {
                list.add(new NvmfExport(new VolumeRef(PoolType.SPDK, r.pool(), r.volume()), r.nqn(), r.address(),
                        r.adrfam(), r.port(), r.hostNqn(), 0, r.lvolUuid()));
            }
        }
        return list;
    }

    /** The vhost exports on record. */
    public List<VhostExport> vhostExports() {
        List<VhostExport> list = new ArrayList<>();
        for (ExportRecord r : ctx.store().get().exports().values()) {
            if (r.kind().equals(ExportRecord.VHOST)) {
                VolumeRef ref = new VolumeRef(PoolType.SPDK, r.pool(), r.volume());
                list.add(new VhostExport(ref, r.controller(), ctx.settings().vhostSocketDir().resolve(r.controller())));
            }
        }
        return list;
    }

    /** A 20-character serial number derived from the NQN (printable ASCII, as the target requires). */
    static String serialNumber(String nqn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nqn.getBytes(StandardCharsets.UTF_8));
            return "OL" + HexFormat.of().formatHex(digest).substring(0, 18).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
