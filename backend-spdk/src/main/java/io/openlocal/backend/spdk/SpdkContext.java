package io.openlocal.backend.spdk;

import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.rpc.SpdkRpcClient;
import io.openlocal.backend.spdk.state.SpdkStateStore;
import io.openlocal.backend.spdk.target.SpdkTarget;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What the SPDK backend's parts share: settings, the RPC client, the durable record, per-pool locks, and the
 * guard every operation runs in. The guard makes sure the target was recovered on the current connection
 * (after a restart the base bdevs must be attached again before any lvol can be found), and refuses a
 * result when the connection changed while the operation ran, since it may have seen a half-restored
 * target (every operation is idempotent, so the caller retries).
 */
public final class SpdkContext {

    private static final int RECOVERY_ATTEMPTS = 3;

    final String nodeName;
    final SpdkSettings settings;
    final SpdkRpcClient client;
    final SpdkTarget target;
    final SpdkStateStore store;
    final CommandRunner runner;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Object recoveryLock = new Object();
    private volatile long recoveredGeneration = -1;
    private volatile RecoveryReport lastRecovery;
    private Recovery recovery;

    SpdkContext(String nodeName, SpdkSettings settings, SpdkRpcClient client, SpdkStateStore store,
                CommandRunner runner) {
        this.nodeName = nodeName;
        this.settings = settings;
        this.client = client;
        this.target = new SpdkTarget(client);
        this.store = store;
        this.runner = runner;
    }

    void recovery(Recovery recovery) {
        this.recovery = recovery;
    }

    public SpdkTarget target() {
        return target;
    }

    public SpdkSettings settings() {
        return settings;
    }

    public SpdkStateStore store() {
        return store;
    }

    public String nodeName() {
        return nodeName;
    }

    /** The lock that serialises changes to one pool (capacity checks, creation, exports). */
    public ReentrantLock lock(String pool) {
        return locks.computeIfAbsent(pool, p -> new ReentrantLock());
    }

    /** Runs a read or change of target state under the recovery guard (see the class comment). */
    public <T> T guarded(String what, Supplier<T> operation) {
        long generation = ensureRecovered();
        T result = operation.get();
        if (client.connectionGeneration() != generation) {
            throw new StorageException.Unavailable("the connection to the SPDK target was renewed while " + what
                    + " ran (the target may have restarted); the operation is safe to retry");
        }
        return result;
    }

    /** Like {@link #guarded} holding the pool's lock. */
    public <T> T guardedOnPool(String pool, String what, Supplier<T> operation) {
        ReentrantLock lock = lock(pool);
        lock.lock();
        try {
            return guarded(what, operation);
        } finally {
            lock.unlock();
        }
    }

    /** Recovers on the current connection unless that already happened; returns the connection generation. */
    long ensureRecovered() {
        long generation = client.ensureConnected();
        if (generation == recoveredGeneration) {
            return generation;
        }
        synchronized (recoveryLock) {
            for (int attempt = 0; attempt < RECOVERY_ATTEMPTS; attempt++) {
                generation = client.ensureConnected();
                if (generation == recoveredGeneration) {
                    return generation;
                }
                RecoveryReport report = recovery.run(generation);
                if (client.connectionGeneration() == generation) {
                    lastRecovery = report;
                    recoveredGeneration = generation;
                    return generation;
                }
            }
        }
        throw new StorageException.Unavailable("the connection to the SPDK target at " + client.socketPath()
                + " kept breaking during recovery");
    }

    /** Forces a recovery pass now (also on a connection already recovered). */
    RecoveryReport recoverNow() {
        synchronized (recoveryLock) {
            long generation = client.ensureConnected();
            RecoveryReport report = recovery.run(generation);
            lastRecovery = report;
            if (client.connectionGeneration() == generation) {
                recoveredGeneration = generation;
            }
            return report;
        }
    }

    RecoveryReport lastRecovery() {
        return lastRecovery;
    }

    /** Whether Open-Local made (or adopted) this pool: only such pools and their volumes are changed. */
    public boolean owns(String pool) {
        return store.get().pools().containsKey(pool);
    }

    /** Refuses pools Open-Local does not own: NotFound if absent, InvalidArgument if foreign. */
    public void requireOwnedPool(String pool) {
        if (owns(pool)) {
            return;
        }
        if (target.lvstore(pool).isPresent()) {
            throw new StorageException.InvalidArgument("pool " + pool + ": the lvstore exists but Open-Local did not "
                    + "create it; initialise it with a PoolSpec naming its device to adopt it");
        }
        throw new StorageException.NotFound("pool " + pool + ": no such SPDK lvstore");
    }

    /** The lvol of an owned volume (not a snapshot); NotFound if it does not exist. */
    public io.openlocal.backend.spdk.target.BdevInfo requireOwnedVolume(io.openlocal.backend.volume.VolumeRef ref) {
        requireOwnedPool(ref.pool());
        var bdev = target.bdev(SpdkNames.alias(ref)).filter(b -> b.lvol().isPresent())
                .orElseThrow(() -> new StorageException.NotFound("volume " + ref + " does not exist"));
        if (bdev.lvol().get().snapshot()) {
            throw new StorageException.InvalidArgument(ref + " is a snapshot, not a volume");
        }
        return bdev;
    }
}
