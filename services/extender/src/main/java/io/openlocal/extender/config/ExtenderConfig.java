package io.openlocal.extender.config;

import io.openlocal.scheduling.placement.Strategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The extender's settings.
 *
 * @param host            address to listen on ({@code 0.0.0.0} = all)
 * @param port            HTTP port (Open-Local's 23000; 0 = any free port, for tests)
 * @param strategy        how LVM/SPDK claims pick pools and how nodes are scored
 * @param master          API server URL to use without credentials (tests, {@code kubectl proxy}), or null
 * @param kubeconfig      kubeconfig file, or null; with neither, the standard lookup ($KUBECONFIG,
 *                        ~/.kube/config, then in-cluster service account)
 * @param promiseTimeout  how long a promise lives without its volume appearing (renewed while kube-scheduler's
 *                        selected-node annotation still asks for it)
 * @param sweepInterval   how often lapsed promises are looked for
 * @param maxRequestBytes largest request body accepted (a full NodeList of thousands of nodes is large)
 * @param maxNodes        most nodes one filter/prioritize request may name
 */
public record ExtenderConfig(String host, int port, Strategy strategy, String master, Path kubeconfig,
                             Duration promiseTimeout, Duration sweepInterval, long maxRequestBytes, int maxNodes) {

    public static final int DEFAULT_PORT = 23000;

    public ExtenderConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(promiseTimeout, "promiseTimeout");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (promiseTimeout.isNegative() || promiseTimeout.isZero()) {
            throw new IllegalArgumentException("promise timeout must be positive");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweep interval must be positive");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("max request size must be at least 1 KiB");
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("max nodes per request must be at least 1");
        }
    }

    /** Open-Local's defaults: port 23000, binpack, promises for 10 minutes, 64 MiB bodies, 50,000 nodes. */
    public static ExtenderConfig defaults() {
        return new ExtenderConfig("0.0.0.0", DEFAULT_PORT, Strategy.BINPACK, null, null, Duration.ofMinutes(10),
                Duration.ofSeconds(30), 64L << 20, 50_000);
    }

    public ExtenderConfig withPort(int newPort) {
        return new ExtenderConfig(host, newPort, strategy, master, kubeconfig, promiseTimeout, sweepInterval,
                maxRequestBytes, maxNodes);
    }

    public ExtenderConfig withHost(String newHost) {
        return new ExtenderConfig(newHost, port, strategy, master, kubeconfig, promiseTimeout, sweepInterval,
                maxRequestBytes, maxNodes);
    }

    public ExtenderConfig withStrategy(Strategy newStrategy) {
        return new ExtenderConfig(host, port, newStrategy, master, kubeconfig, promiseTimeout, sweepInterval,
                maxRequestBytes, maxNodes);
    }

    public ExtenderConfig withMaster(String newMaster) {
        return new ExtenderConfig(host, port, strategy, newMaster, kubeconfig, promiseTimeout, sweepInterval,
                maxRequestBytes, maxNodes);
    }

    public ExtenderConfig withPromiseTimeout(Duration timeout, Duration sweep) {
        return new ExtenderConfig(host, port, strategy, master, kubeconfig, timeout, sweep, maxRequestBytes,
                maxNodes);
    }
}
