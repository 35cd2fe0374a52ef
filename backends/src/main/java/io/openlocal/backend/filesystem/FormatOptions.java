package io.openlocal.backend.filesystem;

import io.openlocal.backend.error.StorageException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What may be chosen when a filesystem is made. Deliberately small: every option is an argument to mkfs, so
 * each one is validated rather than passed through.
 *
 * @param label a filesystem label (letters, digits, {@code . _ -}; at most 16 characters for ext, 12 for xfs)
 */
public record FormatOptions(Optional<String> label) {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public FormatOptions {
        label = label == null ? Optional.empty() : label;
        label.ifPresent(l -> {
            if (!LABEL.matcher(l).matches()) {
                throw new StorageException.InvalidArgument("label: '" + l
                        + "' may contain only letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
        });
    }

    public static FormatOptions none() {
        return new FormatOptions(Optional.empty());
    }

    public static FormatOptions withLabel(String label) {
        return new FormatOptions(Optional.of(label));
    }

    void check(FsType type) {
        label.ifPresent(l -> {
            if (l.length() > type.maxLabelLength()) {
                throw new StorageException.InvalidArgument("label: '" + l + "' is longer than "
                        + type.maxLabelLength() + " characters, the limit of " + type.fsName());
            }
        });
    }
}
