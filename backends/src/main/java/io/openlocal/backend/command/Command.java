package io.openlocal.backend.command;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An external tool invocation: an argument array (never a shell line), a time limit, extra environment.
 *
 * @param argv    the program and its arguments; the program is argv[0]
 * @param timeout how long it may run before it is killed
 * @param env     variables added to the runner's base environment
 */
public record Command(List<String> argv, Duration timeout, Map<String, String> env) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public Command {
        argv = List.copyOf(argv);
        Objects.requireNonNull(timeout, "timeout");
        env = Map.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        for (String arg : argv) {
            // A NUL would silently truncate the argument at exec time.
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument contains NUL: " + argv.getFirst());
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), DEFAULT_TIMEOUT, Map.of());
    }

    public static Command of(List<String> argv) {
        return new Command(argv, DEFAULT_TIMEOUT, Map.of());
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, newTimeout, env);
    }

    public Command withEnv(Map<String, String> moreEnv) {
        var merged = new java.util.HashMap<>(env);
        merged.putAll(moreEnv);
        return new Command(argv, timeout, merged);
    }

    /** The program name, for messages and metrics. */
    public String program() {
        return argv.getFirst();
    }

    /**
     * The tool as operators name it, for metrics and logs: argv[0]'s file name ({@code /sbin/mkfs.ext4} is
     * {@code mkfs.ext4}), and for lvm2's multiplexer {@code lvm} its subcommand, since {@code lvm lvcreate ...} is
     * exactly what the {@code lvcreate} link runs and a dashboard must tell a report from a change.
     */
    public String tool() {
        String program = argv.getFirst();
        String name = program.substring(program.lastIndexOf('/') + 1);
        if (name.equals("lvm") && argv.size() > 1 && !argv.get(1).startsWith("-")) {
            return argv.get(1);
        }
        return name.isEmpty() ? program : name;
    }

    /** The command as a person would type it, for error messages only (never executed). */
    public String display() {
        return String.join(" ", argv);
    }
}
