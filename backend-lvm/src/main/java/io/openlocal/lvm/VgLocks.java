package io.openlocal.lvm;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per VG name inside this JVM: a capacity check and the lvcreate that relies on it happen with no other
 * change to the same VG in between. lvm2's own VG lock protects each command; this protects the pair. Changes to
 * different VGs run in parallel.
 */
final class VgLocks {

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T withLock(String vg, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(vg, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    void withLock(String vg, Runnable action) {
        withLock(vg, () -> {
            action.run();
            return null;
        });
    }
}
