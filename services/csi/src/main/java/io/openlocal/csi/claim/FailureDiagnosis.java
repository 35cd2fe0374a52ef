package io.openlocal.csi.claim;

import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.claim.ProvisioningFailure.BadParameter;
import io.openlocal.csi.claim.ProvisioningFailure.Refused;
import io.openlocal.csi.nodeapi.ProvisionRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a provisioning failure into the Event its claim gets: which {@link ClaimEventReason}, and a message naming
 * the node, the pool, the bytes the claim requests and the bytes there are. The node's pools, read after the
 * failure, decide between "no such pool" and "no room", which the node's error kind alone cannot tell apart (both
 * a missing vgName and other bad requests are INVALID_ARGUMENT). Without them the node's own message is used.
 */
public final class FailureDiagnosis {

    /** Free devices named in a message at most; a node may have dozens. */
    private static final int LISTED = 5;

    private FailureDiagnosis() {
    }

    /**
     * The event for a failure, or empty when it is not one the claim's owner can fix.
     *
     * @param poolsOnNode the chosen node's pools (of every type), or empty when they could not be read
     */
    public static Optional<ClaimEvent> explain(ProvisioningFailure failure, Optional<List<PoolInfo>> poolsOnNode) {
        return switch (failure) {
            case BadParameter bad -> Optional.of(new ClaimEvent(ClaimEventReason.INVALID_PARAMETER, bad.problem()));
            case Refused refused -> poolsOnNode.isPresent() ? fromPools(refused, poolsOnNode.get())
                    : fromMessage(refused);
        };
    }

    private static Optional<ClaimEvent> fromMessage(Refused refused) {
        boolean shared = shared(refused.request().type());
        String message = "node " + refused.node() + ": " + refused.message();
        return switch (refused.refusal()) {
            case NO_CAPACITY -> event(shared ? ClaimEventReason.NO_SPACE : ClaimEventReason.NO_DEVICE, message);
            case OUT_OF_RANGE -> event(shared ? ClaimEventReason.CAPACITY_RANGE : ClaimEventReason.NO_DEVICE,
                    message);
            // A missing pool and other refusals share the code; without the pools they cannot be told apart.
            case INVALID_ARGUMENT -> Optional.empty();
        };
    }

    private static Optional<ClaimEvent> fromPools(Refused refused, List<PoolInfo> pools) {
        ProvisionRequest request = refused.request();
        PoolType type = request.type();
        List<PoolInfo> ofType = pools.stream().filter(p -> p.type() == type).toList();
        if (ofType.isEmpty() && (shared(type) || refused.refusal() == Refusal.INVALID_ARGUMENT)) {
            return event(ClaimEventReason.NO_POOL, "node " + refused.node() + " has no " + type.volumeType()
                    + " pool (StorageClass volumeType " + type.volumeType() + "); set one up there or schedule the"
                    + " pod to a node that has one");
        }
        return shared(type) ? inSharedPool(refused, ofType) : onExclusivePool(refused, ofType);
    }

    private static Optional<ClaimEvent> inSharedPool(Refused refused, List<PoolInfo> ofType) {
        ProvisionRequest request = refused.request();
        String kind = request.type().volumeType();
        if (request.pool().isPresent()) {
            String name = request.pool().get();
            Optional<PoolInfo> pool = ofType.stream().filter(p -> p.name().equals(name)).findFirst();
            if (pool.isEmpty()) {
                return event(ClaimEventReason.NO_POOL, kind + " pool " + name + " (StorageClass parameter vgName)"
                        + " does not exist on node " + refused.node() + "; " + kind + " pools there: "
                        + ofType.stream().map(PoolInfo::name).sorted().collect(Collectors.joining(", ")));
            }
            return switch (refused.refusal()) {
                case NO_CAPACITY -> event(ClaimEventReason.NO_SPACE, kind + " pool " + name + " on node "
                        + refused.node() + " has " + bytes(pool.get().capacity().availableBytes()) + " free"
                        + (pool.get().readOnly() ? " and is read-only" : "") + ", the claim requests "
                        + bytes(request.requiredBytes()));
                case OUT_OF_RANGE -> event(ClaimEventReason.CAPACITY_RANGE, "node " + refused.node() + ": "
                        + refused.message());
                case INVALID_ARGUMENT -> Optional.empty();
            };
        }
        return switch (refused.refusal()) {
            case NO_CAPACITY -> {
                Optional<PoolInfo> most = ofType.stream().filter(p -> !p.readOnly())
                        .max(Comparator.comparingLong((PoolInfo p) -> p.capacity().availableBytes())
                                .thenComparing(PoolInfo::name, Comparator.reverseOrder()));
                yield event(ClaimEventReason.NO_SPACE, "no " + kind + " pool on node " + refused.node() + " has "
                        + bytes(request.requiredBytes()) + " free for the claim; " + most.map(p -> "the most is "
                        + bytes(p.capacity().availableBytes()) + " in pool " + p.name())
                        .orElse("all " + ofType.size() + " are read-only"));
            }
            case OUT_OF_RANGE -> event(ClaimEventReason.CAPACITY_RANGE, "node " + refused.node() + ": "
                    + refused.message());
            case INVALID_ARGUMENT -> Optional.empty();
        };
    }

    private static Optional<ClaimEvent> onExclusivePool(Refused refused, List<PoolInfo> ofType) {
        if (refused.refusal() == Refusal.INVALID_ARGUMENT) {
            return Optional.empty();
        }
        ProvisionRequest request = refused.request();
        String kind = request.type().volumeType();
        String media = request.mediaType().map(m -> m.label() + " ").orElse("");
        List<PoolInfo> free = ofType.stream()
                .filter(p -> !p.inUse() && !p.readOnly())
                .filter(p -> request.mediaType().map(m -> m == p.mediaType()).orElse(true))
                .sorted(Comparator.comparingLong((PoolInfo p) -> p.capacity().availableBytes()).reversed()
                        .thenComparing(PoolInfo::name))
                .toList();
        String wanted = "no free " + media + kind + " with at least " + bytes(request.requiredBytes())
                + (request.limitBytes() > 0 ? " and at most " + bytes(request.limitBytes()) : "")
                + " on node " + refused.node();
        String there = free.isEmpty()
                ? "no " + media + kind + " there is free (" + ofType.size() + " in all)"
                : "free " + media + kind + "s there: " + free.stream().limit(LISTED)
                        .map(p -> p.name() + " with " + bytes(p.capacity().availableBytes()))
                        .collect(Collectors.joining(", ")) + (free.size() > LISTED ? ", ..." : "");
        return event(ClaimEventReason.NO_DEVICE, wanted + "; " + there);
    }

    private static boolean shared(PoolType type) {
        return type == PoolType.LVM || type == PoolType.SPDK;
    }

    private static String bytes(long count) {
        return count + " bytes (" + Sizes.human(count) + ")";
    }

    private static Optional<ClaimEvent> event(ClaimEventReason reason, String message) {
        return Optional.of(new ClaimEvent(reason, message));
    }
}
