package io.openlocal.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.openlocal.backend.naming.Quantities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of YAML configuration read through Helidon config, with typed getters whose errors name the full
 * key. Sections call {@link #allowOnly} so a misspelt key is an error rather than a silently ignored setting.
 */
public final class Settings {

    private final Config node;
    /** Values given on the command line; they win over the file (plain values of this node only). */
    private final Map<String, String> overrides;

    private Settings(Config node) {
        this(node, Map.of());
    }

    private Settings(Config node, Map<String, String> overrides) {
        this.node = node;
        this.overrides = Map.copyOf(overrides);
    }

    /** These settings with {@code key} set to {@code value} (flags win over files); a null value changes nothing. */
    public Settings withOverride(String key, String value) {
        if (value == null) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.put(key, value);
        return new Settings(node, merged);
    }

    /** Reads a YAML file; environment variables and system properties are not mixed in (flags win later). */
    public static Settings fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "no such configuration file");
        }
        return new Settings(Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.file(file))
                .build());
    }

    /** Reads YAML text (tests, defaults shipped in jars). */
    public static Settings fromYaml(String yaml) {
        return new Settings(Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML))
                .build());
    }

    /** Wraps an existing Helidon config node. */
    public static Settings of(Config node) {
        return new Settings(node);
    }

    /** The full key of this node ("" for the root). */
    public String key() {
        return node.key().toString();
    }

    public boolean has(String key) {
        return overrides.containsKey(key) || node.get(key).exists();
    }

    public Settings section(String key) {
        return new Settings(node.get(key));
    }

    /** Rejects any child key not in {@code allowed}, naming the unknown ones. A missing node passes. */
    public Settings allowOnly(String... allowed) {
        if (!node.exists() || node.type() != Config.Type.OBJECT) {
            return this;
        }
        Set<String> unknown = new TreeSet<>();
        Set<String> known = Set.of(allowed);
        for (Config child : node.asNodeList().orElse(List.of())) {
            if (!known.contains(child.name())) {
                unknown.add(child.name());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(key().isEmpty() ? "(top level)" : key(),
                    "unknown key(s) " + unknown + "; allowed: " + new TreeSet<>(known));
        }
        return this;
    }

    public String string(String key) {
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        Config value = value(key);
        return value.asString().get();
    }

    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaultValue;
    }

    public Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    public int integer(String key, int defaultValue, int min, int max) {
        if (!has(key)) {
            return defaultValue;
        }
        String text = string(key);
        try {
            int parsed = Integer.parseInt(text.strip());
            if (parsed < min || parsed > max) {
                throw new ConfigException(full(key), parsed + " is outside " + min + ".." + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(full(key), "'" + text + "' is not a whole number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        String text = string(key).strip();
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(full(key), "'" + text + "' is not true or false");
        };
    }

    /** A size in bytes written as a quantity ({@code 1Gi}, {@code 256Mi}); must be positive. */
    public long bytes(String key) {
        String text = string(key);
        try {
            long bytes = Quantities.parseBytes(text);
            if (bytes <= 0) {
                throw new ConfigException(full(key), "must be greater than 0");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(full(key), e.getMessage());
        }
    }

    public long bytes(String key, long defaultValue) {
        return has(key) ? bytes(key) : defaultValue;
    }

    /** A duration written as ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}). */
    public Duration duration(String key, Duration defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        String text = string(key).strip();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            var m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        } catch (RuntimeException e) {
            // fall through to the error below
        }
        throw new ConfigException(full(key), "'" + text + "' is not a duration (expected e.g. 500ms, 30s, 5m, PT1M)");
    }

    public Path path(String key, Path defaultValue) {
        return has(key) ? Path.of(string(key)) : defaultValue;
    }

    /** A list of strings; a missing key is an empty list. */
    public List<String> strings(String key) {
        if (!has(key)) {
            return List.of();
        }
        Config list = node.get(key);
        if (list.type() != Config.Type.LIST) {
            throw new ConfigException(full(key), "must be a list");
        }
        List<String> values = new ArrayList<>();
        for (Config item : list.asNodeList().get()) {
            if (item.type() != Config.Type.VALUE) {
                throw new ConfigException(item.key().toString(), "must be a plain value");
            }
            values.add(item.asString().get());
        }
        return values;
    }

    /** A list of sections; a missing key is an empty list. */
    public List<Settings> sections(String key) {
        if (!has(key)) {
            return List.of();
        }
        Config list = node.get(key);
        if (list.type() != Config.Type.LIST) {
            throw new ConfigException(full(key), "must be a list");
        }
        return list.asNodeList().get().stream().map(Settings::new).toList();
    }

    /** A map of plain string values (backend settings); a missing key is empty. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!has(key)) {
            return values;
        }
        Config map = node.get(key);
        if (map.type() != Config.Type.OBJECT) {
            throw new ConfigException(full(key), "must be a map of key: value");
        }
        for (Config child : map.asNodeList().get()) {
            if (child.type() != Config.Type.VALUE) {
                throw new ConfigException(child.key().toString(), "must be a plain value");
            }
            values.put(child.name(), child.asString().get());
        }
        return values;
    }

    /**
     * A map of plain values flattened to dotted keys: Helidon reads {@code device.include: x} as a nested
     * {@code device: {include: x}}, and backends expect the key {@code device.include}. A missing key is empty.
     */
    public Map<String, String> flatStringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!has(key)) {
            return values;
        }
        Config map = node.get(key);
        if (map.type() != Config.Type.OBJECT) {
            throw new ConfigException(full(key), "must be a map of key: value");
        }
        flatten(map, "", values);
        return values;
    }

    private static void flatten(Config map, String prefix, Map<String, String> out) {
        for (Config child : map.asNodeList().orElse(List.of())) {
            String name = prefix.isEmpty() ? child.name() : prefix + "." + child.name();
            switch (child.type()) {
                case VALUE -> out.put(name, child.asString().get());
                case OBJECT -> flatten(child, name, out);
                default -> throw new ConfigException(child.key().toString(), "must be a plain value or a map");
            }
        }
    }

    private Config value(String key) {
        Config value = node.get(key);
        if (!value.exists()) {
            throw new ConfigException(full(key), "is required");
        }
        if (value.type() != Config.Type.VALUE) {
            throw new ConfigException(full(key), "must be a plain value, not a " + value.type().name().toLowerCase());
        }
        return value;
    }

    private String full(String key) {
        return key().isEmpty() ? key : key() + "." + key;
    }
}
