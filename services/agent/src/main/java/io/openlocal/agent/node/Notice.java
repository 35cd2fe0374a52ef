package io.openlocal.agent.node;

import java.util.Objects;

/**
 * Something an operator should hear about, recorded as a Kubernetes Event on the node's NLS.
 *
 * @param type    {@code Normal} or {@code Warning}
 * @param reason  a CamelCase word ({@code InitRefused}, {@code InvalidSpec}, {@code Initialized}...)
 * @param message a sentence naming the field, device or pool concerned
 */
public record Notice(String type, String reason, String message) {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    public Notice {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
