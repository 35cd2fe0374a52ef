package io.openlocal.lvm.report;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the last full report for a short time so that one discovery pass (pools, volumes, snapshots, single
 * look-ups) costs one lvm process. Every change this backend makes calls {@link #invalidate()}; a load that was
 * already running when a change happened is returned to its caller but not kept, so a stale report never
 * outlives the change that made it stale.
 */
public final class ReportCache {

    private record Entry(FullReport report, long loadedAtNanos, long generation) {
    }

    private final Supplier<FullReport> loader;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong generation = new AtomicLong();
    // One load at a time for cached readers: concurrent discovery calls share one lvm process.
    private final ReentrantLock loadLock = new ReentrantLock();
    private final Object storeGuard = new Object();
    private volatile Entry entry;

    public ReportCache(Supplier<FullReport> loader, Duration ttl) {
        this(loader, ttl, System::nanoTime);
    }

    /** With an explicit monotonic clock in nanoseconds (tests drive time with it). */
    public ReportCache(Supplier<FullReport> loader, Duration ttl, LongSupplier nanoClock) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The cached report while it is young enough and nothing changed since; otherwise a new one. */
    public FullReport current() {
        FullReport cached = valid(entry);
        if (cached != null) {
            return cached;
        }
        loadLock.lock();
        try {
            cached = valid(entry);
            return cached != null ? cached : load();
        } finally {
            loadLock.unlock();
        }
    }

    /** A report read now, for decisions that must not rest on cached figures (capacity checks before a change). */
    public FullReport fresh() {
        return load();
    }

    /** Forgets the cached report; called after every change this backend makes. */
    public void invalidate() {
        synchronized (storeGuard) {
            generation.incrementAndGet();
            entry = null;
        }
    }

    private FullReport valid(Entry e) {
        if (e == null || e.generation() != generation.get()) {
            return null;
        }
        return nanoClock.getAsLong() - e.loadedAtNanos() < ttlNanos ? e.report() : null;
    }

    private FullReport load() {
        long startedGeneration = generation.get();
        // The age counts from the start of the load: the report describes the system no later than that.
        long startedAt = nanoClock.getAsLong();
        FullReport report = loader.get();
        synchronized (storeGuard) {
            if (generation.get() == startedGeneration && ttlNanos > 0) {
                entry = new Entry(report, startedAt, startedGeneration);
            }
        }
        return report;
    }
}
