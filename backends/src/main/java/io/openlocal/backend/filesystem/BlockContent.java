package io.openlocal.backend.filesystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a low-level probe found at the start of a block device: a filesystem or other superblock (RAID member,
 * LVM physical volume, swap, crypto header), a partition table, or nothing.
 *
 * @param device     the device probed, as the caller named it
 * @param type       superblock type ({@code ext4}, {@code xfs}, {@code LVM2_member}, {@code swap}...), if any
 * @param uuid       its UUID, if it has one
 * @param label      its label, if it has one
 * @param ptType     partition table type ({@code dos}, {@code gpt}), if any
 * @param usage      what the superblock is for ({@code filesystem}, {@code raid}, {@code crypto}, {@code other})
 * @param ambivalent the probe found several signatures that contradict each other; the device is not blank
 * @param values     every value the probe reported, by blkid's key
 */
public record BlockContent(String device, Optional<String> type, Optional<String> uuid, Optional<String> label,
                           Optional<String> ptType, Optional<String> usage, boolean ambivalent,
                           Map<String, String> values) {

    public BlockContent {
        Objects.requireNonNull(device, "device");
        type = type == null ? Optional.empty() : type;
        uuid = uuid == null ? Optional.empty() : uuid;
        label = label == null ? Optional.empty() : label;
        ptType = ptType == null ? Optional.empty() : ptType;
        usage = usage == null ? Optional.empty() : usage;
        values = Map.copyOf(values);
    }

    /** Nothing was found. */
    public static BlockContent blank(String device) {
        return new BlockContent(device, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, Map.of());
    }

    /** Builds the result from blkid's {@code KEY=value} pairs. */
    public static BlockContent fromValues(String device, Map<String, String> values) {
        return new BlockContent(device, Optional.ofNullable(values.get("TYPE")),
                Optional.ofNullable(values.get("UUID")), Optional.ofNullable(values.get("LABEL")),
                Optional.ofNullable(values.get("PTTYPE")), Optional.ofNullable(values.get("USAGE")), false, values);
    }

    /** No signature of any kind. */
    public boolean isBlank() {
        return type.isEmpty() && ptType.isEmpty() && !ambivalent;
    }

    /** A short account for error messages: {@code "ext4 filesystem (UUID 1234...)"}, {@code "dos partition table"}. */
    public String describe() {
        if (isBlank()) {
            return "no signature";
        }
        List<String> parts = new ArrayList<>();
        if (ambivalent) {
            parts.add("several conflicting signatures");
        }
        type.ifPresent(t -> parts.add(t + " " + usage.orElse("signature")
                + uuid.map(u -> " (UUID " + u + ")").orElse("")
                + label.map(l -> " (label '" + l + "')").orElse("")));
        ptType.ifPresent(p -> parts.add(p + " partition table"));
        return String.join(", ", parts);
    }
}
