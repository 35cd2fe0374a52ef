package io.openlocal.agent.init;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Exponential back-off per entry for resources that could not be initialised: the first retry after
 * {@code base}, then twice as long each time up to {@code max} (Open-Local: interval to 30 × interval).
 * Only in memory: a restarted agent tries everything once at start, which changes nothing that was right.
 */
final class RetryBackoff {

    private record State(int failures, Instant next) {
    }

    private final Clock clock;
    private final Duration base;
    private final Duration max;
    private final Map<String, State> states = new HashMap<>();

    RetryBackoff(Clock clock, Duration base, Duration max) {
        this.clock = clock;
        this.base = base;
        this.max = max;
    }

    boolean due(String key) {
        State s = states.get(key);
        return s == null || !clock.instant().isBefore(s.next());
    }

    void failed(String key) {
        int failures = states.containsKey(key) ? states.get(key).failures() + 1 : 1;
        Duration wait = base;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        states.put(key, new State(failures, clock.instant().plus(wait.compareTo(max) > 0 ? max : wait)));
    }

    void succeeded(String key) {
        states.remove(key);
    }

    /** Forgets entries no longer in the spec, so a re-added entry is tried at once. */
    void retainOnly(Set<String> keys) {
        states.keySet().retainAll(keys);
    }
}
