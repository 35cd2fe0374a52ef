package io.openlocal.observe.log;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is configured here (the launcher's logging.properties and {@link LogSetup}), not by a
 * Helidon logging module. Without a provider Helidon prints "There is no Helidon logging implementation on
 * classpath" to stdout when a server starts, a line that is neither a log record nor JSON.
 */
public final class LauncherLogging implements LoggingProvider {

    @Override
    public void initialization() {
        // java.util.logging is already configured when Helidon starts; nothing to add.
    }

    @Override
    public void runTime() {
        // As above.
    }
}
