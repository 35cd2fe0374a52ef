package io.openlocal.launcher.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code open-local status -o json}: {@code {"nodes": [{"node", "reported", "state", "heartbeat", "pools": [...],
 * "initializing"}]}} with exact byte counts, for scripts; {@code initializing} is the step of a pool initialisation
 * the agent runs now, or null.
 */
public final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    public static void print(List<NodeReport> reports, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(Map.of("nodes", reports)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON: " + e.getMessage(), e);
        }
        out.flush();
    }
}
