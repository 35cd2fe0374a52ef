package io.openlocal.observe.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log record, on one line (JSON lines), for log collectors:
 * {@code {"time":"2026-11-24T10:15:30.123Z","level":"WARNING","logger":"io.openlocal.agent.kube.AgentLoop",
 * "message":"...","thread":"agent-worker","exception":"java.io.IOException: ...\n\tat ..."}}.
 *
 * <p>{@code time} is ISO-8601 in UTC to the millisecond; {@code level} is java.util.logging's name (SEVERE,
 * WARNING, INFO, FINE, ...); {@code message} has its {@code {0}} parameters filled in; {@code exception} (only
 * when the record carries one) is the stack trace as printed by Java, causes included. Jackson escapes quotes,
 * backslashes and control characters, so a multi-line message or stack trace stays on one line. Only
 * jackson-core's streaming generator is used: databind's ObjectMapper would add about 5 MiB of classes to daemons
 * that otherwise never load it.
 */
public final class JsonLogFormatter extends Formatter {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator line = JSON.createGenerator(text)) {
            line.writeStartObject();
            line.writeStringField("time", record.getInstant().truncatedTo(ChronoUnit.MILLIS).toString());
            line.writeStringField("level", record.getLevel().getName());
            line.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            line.writeStringField("message", formatMessage(record));
            line.writeStringField("thread", threadName(record));
            if (record.getThrown() != null) {
                line.writeStringField("exception", stackTrace(record.getThrown()));
            }
            line.writeEndObject();
        } catch (IOException e) {
            // Into a StringWriter: Jackson cannot fail here short of a bug; the handler reports what a formatter
            // throws.
            throw new IllegalStateException("cannot encode a log record as JSON", e);
        }
        return text.append('\n').toString();
    }

    /**
     * A record keeps only its thread's id. Handlers such as the console handler format on the thread that logged,
     * so that thread's name is known then; otherwise the id is all there is.
     */
    private static String threadName(LogRecord record) {
        Thread current = Thread.currentThread();
        return current.threadId() == record.getLongThreadID() ? current.getName()
                : "thread-" + record.getLongThreadID();
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            thrown.printStackTrace(out);
        }
        return text.toString().stripTrailing();
    }
}
