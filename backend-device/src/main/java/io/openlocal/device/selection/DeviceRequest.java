package io.openlocal.device.selection;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.MediaType;
import java.util.Map;
import java.util.Optional;

/**
 * What a Device or MountPoint volume asks of the node: a size and optionally a media type (StorageClass
 * parameter {@code mediaType}).
 *
 * @param sizeBytes the capacity the volume needs
 * @param mediaType hdd or ssd; empty takes either
 */
public record DeviceRequest(long sizeBytes, Optional<MediaType> mediaType) {

    /** The StorageClass parameter naming the media type. */
    public static final String MEDIA_TYPE = "mediaType";

    public DeviceRequest {
        Sizes.requirePositive("sizeBytes", sizeBytes);
        mediaType = mediaType == null ? Optional.empty() : mediaType;
    }

    /** Reads {@code mediaType} from StorageClass or volume parameters; other keys are the caller's business. */
    public static DeviceRequest fromParameters(long sizeBytes, Map<String, String> parameters) {
        return new DeviceRequest(sizeBytes, mediaType(parameters));
    }

    /**
     * Checks volume parameters for Device and MountPoint volumes, whose only parameter is {@code mediaType}:
     * any other key is refused, naming it.
     */
    public static Optional<MediaType> checkParameters(Map<String, String> parameters) {
        java.util.Set<String> unknown = new java.util.TreeSet<>(parameters.keySet());
        unknown.remove(MEDIA_TYPE);
        if (!unknown.isEmpty()) {
            throw new StorageException.InvalidArgument("parameters: unknown " + unknown + " (known: [" + MEDIA_TYPE
                    + "])");
        }
        return mediaType(parameters);
    }

    /** The {@code mediaType} parameter, checked: {@code hdd} or {@code ssd}, exactly. */
    public static Optional<MediaType> mediaType(Map<String, String> parameters) {
        String value = parameters.get(MEDIA_TYPE);
        if (value == null) {
            return Optional.empty();
        }
        MediaType type = MediaType.fromLabel(value);
        if (type == null) {
            throw new StorageException.InvalidArgument(MEDIA_TYPE + ": '" + value + "' must be hdd or ssd");
        }
        return Optional.of(type);
    }
}
