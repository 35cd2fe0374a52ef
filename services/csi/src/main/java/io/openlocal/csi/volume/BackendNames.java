package io.openlocal.csi.volume;

import io.openlocal.backend.naming.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How a CSI name (any Unicode the CO chooses, up to 128 bytes) becomes the volume's name inside a backend, which
 * must be short, safe for lvm2, device claims and SPDK, and carry the ownership prefix (Open-Local's
 * {@code local}: LVs without it are never touched).
 *
 * <ul>
 *   <li>Names as Open-Local's provisioner makes them ({@code local-<uuid>}) are kept as they are;</li>
 *   <li>other DNS-label-like names get the prefix: {@code pvc-<uuid>} becomes {@code local-pvc-<uuid>};</li>
 *   <li>anything else (long names, upper case, other characters) becomes {@code local-h} and 40 hex digits of
 *       its SHA-256: stable, so the same name always maps to the same volume, and collision-free in practice.</li>
 *   <li>Snapshots: {@code local-snap-} and the name or its digest; a volume name never starts with that.</li>
 * </ul>
 * A plain name that looks like a digest or a snapshot name is hashed too, so no two CSI names share a backend name.
 */
public final class BackendNames {

    /** DNS-label-like: fits every backend's limits. */
    private static final Pattern PLAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    static final int MAX_LENGTH = 63;

    private final String prefix;
    private final String snapshotPrefix;
    private final Pattern digestForm;

    /** @param prefix the ownership prefix (the LVM backend's {@code lvNamePrefix}, {@code local} by default) */
    public BackendNames(String prefix) {
        Names.requireObjectName("volume name prefix", prefix, 32);
        this.prefix = prefix + "-";
        this.snapshotPrefix = prefix + "-snap-";
        this.digestForm = Pattern.compile(Pattern.quote(this.prefix) + "h[0-9a-f]{40}");
    }

    public static BackendNames standard() {
        return new BackendNames("local");
    }

    /** The backend name for a CSI volume name. */
    public String of(String csiName) {
        if (plain(csiName) && !csiName.startsWith(snapshotPrefix) && !digestForm.matcher(csiName).matches()) {
            if (csiName.startsWith(prefix)) {
                return csiName;
            }
            if (prefix.length() + csiName.length() <= MAX_LENGTH) {
                return prefix + csiName;
            }
        }
        return prefix + "h" + digest(csiName);
    }

    /** The backend name for a CSI snapshot name. */
    public String ofSnapshot(String csiName) {
        if (plain(csiName) && snapshotPrefix.length() + csiName.length() <= MAX_LENGTH) {
            return snapshotPrefix + csiName;
        }
        return snapshotPrefix + "h" + digest(csiName);
    }

    private static boolean plain(String name) {
        return name.length() <= MAX_LENGTH && PLAIN.matcher(name).matches();
    }

    private static String digest(String csiName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(csiName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Checks a name found in an id. */
    public static String requireBackendName(String field, String value) {
        return Names.requireObjectName(field, value, 128);
    }
}
