package io.openlocal.chart.template;

/** A template that does not parse or does not execute; the message names the template and line. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
