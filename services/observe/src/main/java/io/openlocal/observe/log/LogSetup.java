package io.openlocal.observe.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Puts the chosen {@link LogFormat} on java.util.logging's root handlers, where every daemon's records end up
 * (our own loggers, System.Logger users such as Helidon, and SLF4J users through slf4j-jdk14). java.util.logging
 * is configured once per process, so this is process-wide state, like the LogManager itself.
 */
public final class LogSetup {

    private static volatile LogFormat active = LogFormat.TEXT;

    private LogSetup() {
    }

    /**
     * Formats every root handler's output as {@code format}. Text keeps the formatter the logging configuration
     * chose (the launcher's one-line format, or the user's own file) and only undoes an earlier switch to JSON.
     */
    public static synchronized void use(LogFormat format) {
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] handlers = root.getHandlers();
        if (handlers.length == 0 && format == LogFormat.JSON) {
            root.addHandler(new ConsoleHandler());
            handlers = root.getHandlers();
        }
        for (Handler handler : handlers) {
            if (format == LogFormat.JSON) {
                handler.setFormatter(new JsonLogFormatter());
            } else if (handler.getFormatter() instanceof JsonLogFormatter) {
                handler.setFormatter(new SimpleFormatter());
            }
        }
        active = format;
    }

    /** The format last chosen with {@link #use} (text until then). */
    public static LogFormat active() {
        return active;
    }
}
