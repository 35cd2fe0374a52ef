package io.openlocal.config;

/** A configuration value that is missing or wrong; the message starts with the full key. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String problem) {
        super("config key '" + key + "': " + problem);
        this.key = key;
    }

    /** The full key, for example {@code pools.0.devices.1}. */
    public String key() {
        return key;
    }
}
