package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.lvm.report.FullReport;
import io.openlocal.lvm.report.ReportCache;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReportCacheTest {

    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong();

    private FullReport load() {
        loads.incrementAndGet();
        return new FullReport(List.of(), List.of());
    }

    private ReportCache cache(Duration ttl) {
        return new ReportCache(this::load, ttl, clock::get);
    }

    @Test
    void reportIsReusedWithinTheTtlAndReloadedAfter() {
        ReportCache cache = cache(Duration.ofSeconds(3));
        FullReport first = cache.current();
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.current()).isSameAs(first);
        assertThat(loads).hasValue(1);
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.current()).isNotSameAs(first);
        assertThat(loads).hasValue(2);
    }

    @Test
    void invalidateForcesTheNextReadToLoad() {
        ReportCache cache = cache(Duration.ofMinutes(1));
        cache.current();
        cache.invalidate();
        cache.current();
        assertThat(loads).hasValue(2);
    }

    @Test
    void freshAlwaysLoadsAndFeedsLaterReads() {
        ReportCache cache = cache(Duration.ofMinutes(1));
        FullReport fresh = cache.fresh();
        assertThat(cache.current()).isSameAs(fresh);
        cache.fresh();
        assertThat(loads).hasValue(2);
    }

    @Test
    void zeroTtlNeverCaches() {
        ReportCache cache = cache(Duration.ZERO);
        cache.current();
        cache.current();
        assertThat(loads).hasValue(2);
    }

    @Test
    void loadOverlappingAChangeIsNotKept() {
        AtomicInteger calls = new AtomicInteger();
        ReportCache[] holder = new ReportCache[1];
        holder[0] = new ReportCache(() -> {
            if (calls.incrementAndGet() == 1) {
                holder[0].invalidate(); // a change lands while this load runs
            }
            return new FullReport(List.of(), List.of());
        }, Duration.ofMinutes(1));
        holder[0].current();
        holder[0].current();
        assertThat(calls).hasValue(2);
    }
}
