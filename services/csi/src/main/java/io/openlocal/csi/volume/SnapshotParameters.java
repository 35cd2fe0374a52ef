package io.openlocal.csi.volume;

import io.openlocal.backend.naming.Quantities;
import io.openlocal.csi.grpc.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of an Open-Local VolumeSnapshotClass, validated.
 *
 * @param readOnly                  {@code csi.aliyun.com/readonly}: volumes restored from it are for reading
 * @param initialSizeBytes          {@code csi.aliyun.com/snapshot-initial-size}: copy-on-write space reserved for
 *                                  changes (LVM); empty lets the backend choose
 * @param expansionSizeBytes        {@code csi.aliyun.com/snapshot-expansion-size}: how much the COW space grows
 *                                  by when it fills to the threshold ({@code SnapshotSpaceKeeper})
 * @param expansionThresholdPercent {@code csi.aliyun.com/snapshot-expansion-threshold}: how full the COW space may
 *                                  get before it grows (50% when not given)
 */
public record SnapshotParameters(boolean readOnly, Optional<Long> initialSizeBytes, Optional<Long> expansionSizeBytes,
                                 Optional<Integer> expansionThresholdPercent) {

    public static final String READ_ONLY = "csi.aliyun.com/readonly";
    public static final String INITIAL_SIZE = "csi.aliyun.com/snapshot-initial-size";
    public static final String EXPANSION_SIZE = "csi.aliyun.com/snapshot-expansion-size";
    public static final String EXPANSION_THRESHOLD = "csi.aliyun.com/snapshot-expansion-threshold";
    private static final Set<String> KNOWN = Set.of(READ_ONLY, INITIAL_SIZE, EXPANSION_SIZE, EXPANSION_THRESHOLD);
    private static final String SIDECAR_PREFIX = "csi.storage.k8s.io/";

    /** Parses the CreateSnapshot parameters; INVALID_ARGUMENT naming the key for anything wrong. */
    public static SnapshotParameters parse(Map<String, String> parameters) {
        Set<String> unknown = new TreeSet<>();
        for (String key : parameters.keySet()) {
            if (!KNOWN.contains(key) && !key.startsWith(SIDECAR_PREFIX)) {
                unknown.add(AccessRules.printable(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw Errors.invalid("snapshot parameter '" + unknown.iterator().next() + "' is not known (known: "
                    + new TreeSet<>(KNOWN) + ")");
        }
        boolean readOnly = switch (parameters.getOrDefault(READ_ONLY, "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Errors.invalid("snapshot parameter '" + READ_ONLY + "': '"
                    + AccessRules.printable(parameters.get(READ_ONLY)) + "' is not true or false");
        };
        return new SnapshotParameters(readOnly, quantity(parameters, INITIAL_SIZE), quantity(parameters, EXPANSION_SIZE),
                percent(parameters));
    }

    /** The parameters as recorded with the snapshot (only ours, canonical spelling). */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(READ_ONLY, Boolean.toString(readOnly));
        initialSizeBytes.ifPresent(v -> map.put(INITIAL_SIZE, Long.toString(v)));
        expansionSizeBytes.ifPresent(v -> map.put(EXPANSION_SIZE, Long.toString(v)));
        expansionThresholdPercent.ifPresent(v -> map.put(EXPANSION_THRESHOLD, v + "%"));
        return map;
    }

    private static Optional<Long> quantity(Map<String, String> parameters, String key) {
        String text = parameters.get(key);
        if (text == null) {
            return Optional.empty();
        }
        try {
            long bytes = Quantities.parseBytes(text);
            if (bytes <= 0) {
                throw new IllegalArgumentException("must be greater than 0");
            }
            return Optional.of(bytes);
        } catch (IllegalArgumentException e) {
            throw Errors.invalid("snapshot parameter '" + key + "': " + AccessRules.printable(e.getMessage()));
        }
    }

    private static Optional<Integer> percent(Map<String, String> parameters) {
        String text = parameters.get(EXPANSION_THRESHOLD);
        if (text == null) {
            return Optional.empty();
        }
        if (!text.matches("[0-9]{1,3}%")) {
            throw Errors.invalid("snapshot parameter '" + EXPANSION_THRESHOLD + "': '" + AccessRules.printable(text)
                    + "' is not a percentage such as 50%");
        }
        int value = Integer.parseInt(text.substring(0, text.length() - 1));
        if (value < 1 || value > 100) {
            throw Errors.invalid("snapshot parameter '" + EXPANSION_THRESHOLD + "': must be between 1% and 100%");
        }
        return Optional.of(value);
    }
}
