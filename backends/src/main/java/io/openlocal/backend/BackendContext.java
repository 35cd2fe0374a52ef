package io.openlocal.backend;

import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.progress.Progress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend is built from.
 *
 * @param nodeName  this node's name (used in tags and NQNs)
 * @param runner    the one way to run external tools
 * @param stateDir  a directory the backend may keep durable records in (claims, export lists)
 * @param settings  backend-specific settings from the node's configuration, by key; a backend rejects keys it
 *                  does not know with {@link io.openlocal.backend.error.StorageException.InvalidArgument}
 * @param progress  where long work (pool initialisation, device wipes) reports its steps; {@link Progress#NONE}
 *                  when nobody watches
 */
public record BackendContext(String nodeName, CommandRunner runner, Path stateDir, Map<String, String> settings,
                             Progress progress) {

    public BackendContext {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(progress, "progress");
        settings = Map.copyOf(settings);
    }

    /** A context whose backend's progress nobody watches. */
    public BackendContext(String nodeName, CommandRunner runner, Path stateDir, Map<String, String> settings) {
        this(nodeName, runner, stateDir, settings, Progress.NONE);
    }

    public String setting(String key, String defaultValue) {
        return settings.getOrDefault(key, defaultValue);
    }
}
