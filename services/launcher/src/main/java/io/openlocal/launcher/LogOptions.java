package io.openlocal.launcher;

import io.openlocal.observe.log.LogFormat;
import io.openlocal.observe.log.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --log-format}, shared by every subcommand that runs a daemon. */
final class LogOptions {

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Log records as text (one line each, for a terminal) or json (one JSON object per line: "
                    + "time, level, logger, message, thread, exception; the Helm chart sets json). "
                    + "Default: ${DEFAULT-VALUE}.")
    LogFormat format = LogFormat.TEXT;

    /** Switches the process's logging to the chosen format; the first thing a subcommand does. */
    void apply() {
        LogSetup.use(format);
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
