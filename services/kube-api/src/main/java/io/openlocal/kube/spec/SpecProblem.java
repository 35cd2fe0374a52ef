package io.openlocal.kube.spec;

import java.util.Objects;

/**
 * One thing wrong with a NodeLocalStorage or NodeLocalStorageInitConfig spec.
 *
 * @param field   the full path of the field at fault, for example {@code spec.resourceToBeInited.vgs[1].name}
 * @param message what is wrong with it, in one sentence
 */
public record SpecProblem(String field, String message) {

    public SpecProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
