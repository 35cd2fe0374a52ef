package io.openlocal.backend;

import io.openlocal.backend.command.CommandRunner;
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
 */
public record BackendContext(String nodeName, CommandRunner runner, Path stateDir, Map<String, String> settings) {

    public BackendContext {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(stateDir, "stateDir");
        settings = Map.copyOf(settings);
    }

    public String setting(String key, String defaultValue) {
        return settings.getOrDefault(key, defaultValue);
    }
}
