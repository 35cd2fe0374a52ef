package io.openlocal.testinfra.spdk;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Misbehaviour a test can ask of the emulated target, per method: answer late, never answer, answer with
 * bytes that are not JSON, or drop the connection without answering. A faulted request is not carried out
 * (for {@link #delay} it is, after the delay, unless the target is stopped first).
 */
public final class Faults {

    /** What happens to a request for a method. */
    enum Kind { DELAY, HANG, GARBAGE, CLOSE }

    record Fault(Kind kind, Duration delay) {
    }

    private final Map<String, Fault> byMethod = new ConcurrentHashMap<>();

    /** Answers {@code method} only after {@code delay}. */
    public Faults delay(String method, Duration delay) {
        byMethod.put(method, new Fault(Kind.DELAY, delay));
        return this;
    }

    /** Never answers {@code method} (until the target is stopped). */
    public Faults hang(String method) {
        byMethod.put(method, new Fault(Kind.HANG, Duration.ZERO));
        return this;
    }

    /** Answers {@code method} with a line that is not JSON. */
    public Faults garbage(String method) {
        byMethod.put(method, new Fault(Kind.GARBAGE, Duration.ZERO));
        return this;
    }

    /** Closes the connection when {@code method} arrives, without answering or carrying it out. */
    public Faults closeConnection(String method) {
        byMethod.put(method, new Fault(Kind.CLOSE, Duration.ZERO));
        return this;
    }

    /** Back to normal behaviour. */
    public void clear() {
        byMethod.clear();
    }

    Fault forMethod(String method) {
        return method == null ? null : byMethod.get(method);
    }
}
