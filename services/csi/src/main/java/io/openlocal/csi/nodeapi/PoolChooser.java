package io.openlocal.csi.nodeapi;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.device.selection.DeviceRequest;
import io.openlocal.device.selection.SmallestFit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a volume goes when no scheduler decided: the choice Open-Local's extender would make, on one node.
 * Shared pools (LVM VGs, SPDK lvstores): the named pool, or by strategy among those with room (binpack fills
 * the fullest first, spread the emptiest). Exclusive pools (devices, mount points): the smallest free one of the
 * media type that is large enough and, when the range has a limit, not larger than the limit.
 */
public final class PoolChooser {

    /** Open-Local's {@code --scheduler-strategy}. */
    public enum Strategy {
        BINPACK, SPREAD;

        public static Strategy parse(String value) {
            return switch (value) {
                case "binpack" -> BINPACK;
                case "spread" -> SPREAD;
                default -> throw new StorageException.InvalidArgument("strategy: '" + value
                        + "' is not binpack or spread");
            };
        }
    }

    /** lvm2's default extent size, when a VG does not report its own. */
    static final long DEFAULT_EXTENT_BYTES = 4 * Sizes.MiB;

    private final Strategy strategy;

    public PoolChooser(Strategy strategy) {
        this.strategy = strategy;
    }

    /** A pool and the size the volume will have there. */
    public record Choice(PoolInfo pool, long sizeBytes) {
    }

    /**
     * Picks the pool.
     *
     * @throws StorageException.OutOfCapacity no pool has room
     * @throws OutOfRange                     a pool has room but not within the limit
     * @throws StorageException.InvalidArgument the named pool does not exist
     */
    public Choice choose(ProvisionRequest request, List<PoolInfo> pools, String nodeName) {
        return switch (request.type()) {
            case LVM, SPDK -> shared(request, pools, nodeName);
            case DEVICE, MOUNT_POINT -> exclusive(request, pools, nodeName);
        };
    }

    /** The size a shared pool gives for a request: rounded up to the pool's allocation unit. */
    public static long roundedSize(PoolInfo pool, long requiredBytes) {
        long unit = DEFAULT_EXTENT_BYTES;
        String reported = pool.attributes().get(pool.type() == PoolType.SPDK ? "clusterSizeBytes" : "extentSizeBytes");
        if (reported != null) {
            try {
                long parsed = Long.parseLong(reported);
                if (parsed > 0) {
                    unit = parsed;
                }
            } catch (NumberFormatException e) {
                // Keep the default; the backend rounds for real and the result is checked against the range.
            }
        }
        return Sizes.roundUp("requiredBytes", requiredBytes, unit);
    }

    private Choice shared(ProvisionRequest request, List<PoolInfo> pools, String nodeName) {
        List<PoolInfo> candidates = pools.stream().filter(p -> p.type() == request.type()).toList();
        if (request.pool().isPresent()) {
            String name = request.pool().get();
            PoolInfo pool = candidates.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new StorageException.InvalidArgument("vgName: " + request.type().volumeType()
                            + " pool '" + name + "' does not exist on node " + nodeName));
            long size = withinLimit(request, roundedSize(pool, request.requiredBytes()), pool);
            if (pool.readOnly() || pool.capacity().availableBytes() < size) {
                throw new StorageException.OutOfCapacity("pool " + name + " on node " + nodeName + " has "
                        + Sizes.human(pool.capacity().availableBytes()) + " free, " + Sizes.human(size) + " needed");
            }
            return new Choice(pool, size);
        }
        Comparator<PoolInfo> byFree = Comparator.comparingLong((PoolInfo p) -> p.capacity().availableBytes());
        Comparator<PoolInfo> order = (strategy == Strategy.BINPACK ? byFree : byFree.reversed())
                .thenComparing(PoolInfo::name);
        Optional<PoolInfo> pick = candidates.stream()
                .filter(p -> !p.readOnly() && p.capacity().availableBytes() >= roundedSize(p, request.requiredBytes()))
                .sorted(order)
                .findFirst();
        if (pick.isEmpty()) {
            throw new StorageException.OutOfCapacity("no " + request.type().volumeType() + " pool on node " + nodeName
                    + " has " + Sizes.human(request.requiredBytes()) + " free (pools: " + describe(candidates) + ")");
        }
        return new Choice(pick.get(), withinLimit(request, roundedSize(pick.get(), request.requiredBytes()), pick.get()));
    }

    private static long withinLimit(ProvisionRequest request, long size, PoolInfo pool) {
        if (request.limitBytes() > 0 && size > request.limitBytes()) {
            throw new OutOfRange("capacity_range: pool " + pool.name() + " allocates in units that make "
                    + request.requiredBytes() + " bytes into " + size + " bytes, above limit_bytes "
                    + request.limitBytes());
        }
        return size;
    }

    private Choice exclusive(ProvisionRequest request, List<PoolInfo> pools, String nodeName) {
        DeviceRequest want = new DeviceRequest(request.requiredBytes(), request.mediaType());
        List<PoolInfo> candidates = pools.stream().filter(p -> p.type() == request.type()).toList();
        if (request.pool().isPresent()) {
            String name = request.pool().get();
            PoolInfo pool = candidates.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new StorageException.InvalidArgument(request.type().volumeType() + " '" + name
                            + "' does not exist on node " + nodeName));
            if (!SmallestFit.fits(pool, want)) {
                throw new StorageException.OutOfCapacity(request.type().volumeType() + " " + name + " on node "
                        + nodeName + " cannot take the volume (in use, read-only, too small or of another media type)");
            }
            if (request.limitBytes() > 0 && pool.capacity().totalBytes() > request.limitBytes()) {
                throw new OutOfRange("capacity_range: " + name + " has " + pool.capacity().totalBytes()
                        + " bytes, above limit_bytes " + request.limitBytes());
            }
            return new Choice(pool, pool.capacity().totalBytes());
        }
        List<PoolInfo> withinLimit = candidates.stream()
                .filter(p -> request.limitBytes() == 0 || p.capacity().totalBytes() <= request.limitBytes())
                .toList();
        Optional<PoolInfo> pick = SmallestFit.pick(withinLimit, want);
        if (pick.isPresent()) {
            return new Choice(pick.get(), pick.get().capacity().totalBytes());
        }
        Optional<PoolInfo> tooLarge = SmallestFit.pick(candidates, want);
        if (tooLarge.isPresent()) {
            throw new OutOfRange("capacity_range: the smallest free " + request.type().volumeType() + " that fits, "
                    + tooLarge.get().name() + ", has " + tooLarge.get().capacity().totalBytes()
                    + " bytes, above limit_bytes " + request.limitBytes());
        }
        throw new StorageException.OutOfCapacity("no free " + request.type().volumeType()
                + request.mediaType().map(m -> " of media " + m.label()).orElse("") + " with at least "
                + Sizes.human(request.requiredBytes()) + " on node " + nodeName + " (" + describe(candidates) + ")");
    }

    private static String describe(List<PoolInfo> pools) {
        if (pools.isEmpty()) {
            return "none";
        }
        return String.join(", ", pools.stream().map(p -> p.name() + " " + Sizes.human(p.capacity().availableBytes())
                + " free" + (p.inUse() ? " (in use)" : "") + (p.mediaType() != null ? " " + p.mediaType().label() : ""))
                .toList());
    }
}
