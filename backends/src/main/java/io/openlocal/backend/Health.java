package io.openlocal.backend;

import java.util.List;

/**
 * Whether a backend can work on this node, and what it cannot do here.
 *
 * @param ready    the backend's tools or daemon answer
 * @param message  a sentence for operators
 * @param missing  features this node lacks (for example {@code device-mapper}), each limiting some operations
 */
public record Health(boolean ready, String message, List<String> missing) {

    public Health {
        missing = List.copyOf(missing);
    }

    public static Health ok(String message) {
        return new Health(true, message, List.of());
    }
}
