package io.openlocal.backend.spdk.export;

import io.openlocal.backend.error.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * NVMe Qualified Names: the rule the target applies (so a name we send is never refused, since the target
 * answers a bad NQN with the same message as a duplicate one), and how Open-Local names subsystems and hosts.
 */
public final class Nqn {

    public static final int MAX_BYTES = 223;
    private static final String UUID_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";
    private static final Pattern DATE_AND_DOMAIN = Pattern.compile(
            "nqn\\.[0-9]{4}-[0-9]{2}\\.([A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private Nqn() {
    }

    /** Whether the target accepts {@code nqn} (nvmf_nqn_is_valid). */
    public static boolean valid(String nqn) {
        if (nqn == null) {
            return false;
        }
        int bytes = nqn.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 11 || bytes > MAX_BYTES) {
            return false;
        }
        if (nqn.startsWith(UUID_PREFIX)) {
            String rest = nqn.substring(UUID_PREFIX.length());
            try {
                return rest.length() == 36 && UUID.fromString(rest) != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        int colon = nqn.indexOf(':');
        return colon > 0 && colon < nqn.length() - 1 && DATE_AND_DOMAIN.matcher(nqn.substring(0, colon)).matches()
                && nqn.chars().noneMatch(c -> c < 0x20);
    }

    public static String require(String field, String nqn) {
        if (!valid(nqn)) {
            throw new StorageException.InvalidArgument(field + ": '" + nqn + "' is not a valid NQN (expected "
                    + "nqn.yyyy-mm.reverse.domain:name or " + UUID_PREFIX + "<uuid>, at most " + MAX_BYTES + " bytes)");
        }
        return nqn;
    }

    /** A prefix such as {@code nqn.2024-11.io.openlocal}: date and reverse domain, no ':' part. */
    public static String requirePrefix(String field, String prefix) {
        if (prefix == null || prefix.contains(":") || !DATE_AND_DOMAIN.matcher(prefix).matches()) {
            throw new StorageException.InvalidArgument(field + ": '" + prefix
                    + "' is not an NQN prefix (expected nqn.yyyy-mm.reverse.domain, for example nqn.2024-11.io.openlocal)");
        }
        return prefix;
    }

    /**
     * The subsystem NQN of a volume: {@code <prefix>:<node>:<pool>:<volume>}. Pool and volume names cannot
     * hold ':', so the name is unambiguous, and the node name keeps it unique across nodes.
     */
    public static String forVolume(String prefix, String node, String pool, String volume) {
        String nqn = prefix + ":" + node + ":" + pool + ":" + volume;
        if (!valid(nqn)) {
            throw new StorageException.InvalidArgument("volume " + pool + "/" + volume + ": its NQN '" + nqn
                    + "' would be longer than " + MAX_BYTES + " bytes; use shorter names");
        }
        return nqn;
    }

    /** A node's host NQN when none is configured: the standard UUID form, stable for a node name. */
    public static String defaultHostNqn(String nodeName) {
        return UUID_PREFIX + UUID.nameUUIDFromBytes(("open-local-node:" + nodeName).getBytes(StandardCharsets.UTF_8));
    }
}
