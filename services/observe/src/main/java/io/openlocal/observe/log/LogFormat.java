package io.openlocal.observe.log;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the daemons write log records: one line of text for a terminal, or one JSON object per line for collectors. */
public enum LogFormat {
    /** {@code LEVEL logger: message}, java.util.logging's SimpleFormatter with the launcher's format. */
    TEXT,
    /** {@link JsonLogFormatter}: time, level, logger, message, thread, exception. */
    JSON;

    /** The word used on the command line and in the chart's values. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted words
     */
    public static LogFormat parse(String word) {
        for (LogFormat format : values()) {
            if (format.word().equals(word)) {
                return format;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a log format (expected "
                + Arrays.stream(values()).map(LogFormat::word).collect(Collectors.joining(" or ")) + ")");
    }
}
