package io.openlocal.extender.config;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.scheduling.placement.Strategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Command-line flags of {@code open-local scheduler-extender}, named as Open-Local's {@code scheduler} command
 * where it has them ({@code --port}, {@code --scheduler-strategy}, {@code --master}, {@code --kubeconfig}).
 * Both {@code --flag value} and {@code --flag=value} are accepted; errors name the flag.
 */
public final class ExtenderOptions {

    public static final String USAGE = """
            open-local scheduler-extender [flags]
              --port N                    HTTP port (default 23000)
              --host ADDRESS              address to listen on (default 0.0.0.0)
              --scheduler-strategy S      binpack (default) or spread
              --master URL                API server URL used without credentials (e.g. kubectl proxy)
              --kubeconfig FILE           kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster)
              --promise-timeout DURATION  how long a promise waits for its volume (default 10m; e.g. 90s, 10m, 1h)
              --max-request-size SIZE     largest request body (default 64Mi)
              --max-nodes N               most nodes named in one request (default 50000)
            """;

    private ExtenderOptions() {
    }

    /**
     * Parses flags over {@link ExtenderConfig#defaults()}.
     *
     * @throws StorageException.InvalidArgument naming the flag
     */
    public static ExtenderConfig parse(String... args) {
        ExtenderConfig config = ExtenderConfig.defaults();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw invalid(arg, "is not a flag (flags start with --)");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw invalid(name, "needs a value");
                }
                value = args[++i];
            }
            if (!seen.add(name)) {
                throw invalid(name, "is given twice");
            }
            config = switch (name) {
                case "--port" -> config.withPort(integer(name, value, 0, 65535));
                case "--host" -> config.withHost(nonEmpty(name, value));
                case "--scheduler-strategy" -> {
                    try {
                        yield config.withStrategy(Strategy.parse(value));
                    } catch (StorageException.InvalidArgument e) {
                        throw invalid(name, "'" + value + "' is not binpack or spread");
                    }
                }
                case "--master" -> config.withMaster(url(name, value));
                case "--kubeconfig" -> new ExtenderConfig(config.host(), config.port(), config.strategy(),
                        config.master(), Path.of(nonEmpty(name, value)), config.promiseTimeout(),
                        config.sweepInterval(), config.maxRequestBytes(), config.maxNodes());
                case "--promise-timeout" -> {
                    Duration timeout = duration(name, value);
                    Duration sweep = timeout.compareTo(Duration.ofMinutes(2)) < 0
                            ? timeout.dividedBy(4).plusMillis(1) : Duration.ofSeconds(30);
                    yield config.withPromiseTimeout(timeout, sweep);
                }
                case "--max-request-size" -> new ExtenderConfig(config.host(), config.port(), config.strategy(),
                        config.master(), config.kubeconfig(), config.promiseTimeout(), config.sweepInterval(),
                        bytes(name, value), config.maxNodes());
                case "--max-nodes" -> new ExtenderConfig(config.host(), config.port(), config.strategy(),
                        config.master(), config.kubeconfig(), config.promiseTimeout(), config.sweepInterval(),
                        config.maxRequestBytes(), integer(name, value, 1, 1_000_000));
                default -> throw invalid(name, "is not a known flag\n" + USAGE);
            };
        }
        if (config.master() != null && config.kubeconfig() != null) {
            throw invalid("--master", "and --kubeconfig exclude each other");
        }
        return config;
    }

    private static int integer(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw invalid(flag, n + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(flag, "'" + value + "' is not a whole number");
        }
    }

    private static String nonEmpty(String flag, String value) {
        if (value.isBlank()) {
            throw invalid(flag, "must not be empty");
        }
        return value;
    }

    private static String url(String flag, String value) {
        if (!value.matches("https?://[^\\s/]+(/.*)?")) {
            throw invalid(flag, "'" + value + "' is not an http(s) URL");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or an ISO-8601 duration such as {@code PT10M}. */
    static Duration duration(String flag, String value) {
        try {
            Duration d;
            if (value.matches("[0-9]{1,9}(ms|s|m|h)")) {
                long n = Long.parseLong(value.replaceAll("[a-z]+$", ""));
                String unit = value.replaceAll("^[0-9]+", "");
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                d = Duration.parse(value);
            }
            if (d.isNegative() || d.isZero()) {
                throw invalid(flag, "must be positive");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(flag, "'" + value + "' is not a duration (e.g. 90s, 10m, 1h)");
        }
    }

    private static long bytes(String flag, String value) {
        try {
            long n = Quantities.parseBytes(value);
            if (n < 1024) {
                throw invalid(flag, "must be at least 1Ki");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw invalid(flag, e.getMessage());
        }
    }

    private static StorageException.InvalidArgument invalid(String flag, String problem) {
        return new StorageException.InvalidArgument("flag " + flag + ": " + problem);
    }
}
