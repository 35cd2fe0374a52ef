package io.openlocal.scheduling.catalog;

import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.claim.StorageClassParameters;
import java.util.Map;
import java.util.Objects;

/**
 * A StorageClass as the scheduler sees it.
 *
 * @param name         class name
 * @param openLocal    its provisioner is Open-Local's driver; other classes' claims are not ours
 * @param defaultClass carries {@code storageclass.kubernetes.io/is-default-class: "true"}
 * @param parameters   parsed parameters, or null when they are invalid
 * @param problem      why the parameters are invalid, or null
 */
public record ClassRecord(String name, boolean openLocal, boolean defaultClass, StorageClassParameters parameters,
                          String problem) {

    public ClassRecord {
        Objects.requireNonNull(name, "name");
        if (openLocal && (parameters == null) == (problem == null)) {
            throw new IllegalArgumentException("class " + name + ": exactly one of parameters and problem");
        }
    }

    /** Builds the record, parsing the parameters of an Open-Local class (a bad class becomes a problem). */
    public static ClassRecord of(String name, String provisioner, boolean defaultClass, String driverName,
                                 Map<String, String> parameters) {
        if (!driverName.equals(provisioner)) {
            return new ClassRecord(name, false, defaultClass, null, null);
        }
        try {
            return new ClassRecord(name, true, defaultClass, StorageClassParameters.parse(parameters), null);
        } catch (StorageException.InvalidArgument e) {
            return new ClassRecord(name, true, defaultClass, null, e.getMessage());
        }
    }
}
