package io.openlocal.csi.volume;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Names;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.csi.CsiSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The CSI volume and snapshot id: everything needed to find the volume again, with no table anywhere.
 *
 * <h2>Format (version 1)</h2>
 * <pre>  ol1:KIND:TYPE:NODE:POOL:NAME</pre>
 * <ul>
 *   <li>{@code KIND}: {@code vol} for a volume, {@code snap} for a snapshot;</li>
 *   <li>{@code TYPE}: the StorageClass {@code volumeType} ({@code LVM}, {@code Device}, {@code MountPoint},
 *       {@code SPDK});</li>
 *   <li>{@code NODE}: the node the volume lives on (a Kubernetes node name);</li>
 *   <li>{@code POOL}: the pool inside that node's backend (VG name, device path, mount path, lvstore);</li>
 *   <li>{@code NAME}: the volume's name in the pool (see {@link BackendNames}).</li>
 * </ul>
 * NODE, POOL and NAME are percent-encoded: every byte of their UTF-8 form other than {@code A-Z a-z 0-9 . _ + -}
 * is written {@code %XX} (upper-case hex), so ':' never appears inside a field. Example:
 * {@code ol1:vol:Device:node-1:%2Fdev%2Fsdb:pvc-0f3c…}. Parsing is strict: anything that does not decode to
 * valid fields is not an id of ours ({@link #parse} returns empty), which the services answer as the CSI
 * specification says for an id that names no volume.
 *
 * @param snapshot whether this names a snapshot
 * @param type     the backend
 * @param node     the node
 * @param pool     the pool
 * @param name     the name in the pool
 */
public record VolumeId(boolean snapshot, PoolType type, String node, String pool, String name) {

    public static final String VERSION = "ol1";
    private static final String VOLUME_KIND = "vol";
    private static final String SNAPSHOT_KIND = "snap";

    /** Longer ids are not ours (and would break the CSI size limits by far). */
    private static final int MAX_ID_LENGTH = 1024;

    public VolumeId {
        Objects.requireNonNull(type, "type");
        CsiSettings.requireNodeName("node", node);
        requirePool(type, pool);
        BackendNames.requireBackendName("name", name);
    }

    public static VolumeId volume(String node, VolumeRef ref) {
        return new VolumeId(false, ref.type(), node, ref.pool(), ref.name());
    }

    public static VolumeId snapshot(String node, VolumeRef ref) {
        return new VolumeId(true, ref.type(), node, ref.pool(), ref.name());
    }

    /** Where the volume lives inside its node. */
    public VolumeRef ref() {
        return new VolumeRef(type, pool, name);
    }

    /** The id as the CO sees it. */
    public String format() {
        return String.join(":", VERSION, snapshot ? SNAPSHOT_KIND : VOLUME_KIND, type.volumeType(),
                encode(node), encode(pool), encode(name));
    }

    @Override
    public String toString() {
        return format();
    }

    /** Parses an id; empty when the text is not a well-formed id of this plugin. */
    public static Optional<VolumeId> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 6 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        boolean snapshot;
        if (parts[1].equals(VOLUME_KIND)) {
            snapshot = false;
        } else if (parts[1].equals(SNAPSHOT_KIND)) {
            snapshot = true;
        } else {
            return Optional.empty();
        }
        try {
            PoolType type = PoolType.fromVolumeType(parts[2]);
            VolumeId id = new VolumeId(snapshot, type, decode(parts[3]), decode(parts[4]), decode(parts[5]));
            // Only the canonical spelling is an id: the same volume must never have two ids.
            return id.format().equals(text) ? Optional.of(id) : Optional.empty();
        } catch (StorageException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Parses a volume id; empty for malformed ids and for snapshot ids. */
    public static Optional<VolumeId> parseVolume(String text) {
        return parse(text).filter(id -> !id.snapshot());
    }

    /** Parses a snapshot id; empty for malformed ids and for volume ids. */
    public static Optional<VolumeId> parseSnapshot(String text) {
        return parse(text).filter(VolumeId::snapshot);
    }

    private static void requirePool(PoolType type, String pool) {
        switch (type) {
            case LVM, SPDK -> Names.requireObjectName("pool", pool, 127);
            case DEVICE -> Names.requireDevicePath("pool", pool);
            case MOUNT_POINT -> {
                Names.requirePathUnder("pool", pool, java.nio.file.Path.of("/"), false);
                if (pool.chars().anyMatch(Character::isISOControl)) {
                    throw new StorageException.InvalidArgument("pool: control characters in a path");
                }
            }
        }
    }

    private static boolean plain(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '.' || b == '_' || b == '+' || b == '-';
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if (plain(u)) {
                out.append((char) u);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String decode(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty field");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (plain(c)) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("character not allowed: " + c);
            }
        }
        String decoded = out.toString(StandardCharsets.UTF_8);
        if (!encode(decoded).equals(value)) {
            throw new IllegalArgumentException("not canonical");
        }
        return decoded;
    }
}
