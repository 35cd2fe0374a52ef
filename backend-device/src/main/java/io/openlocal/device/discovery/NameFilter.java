package io.openlocal.device.discovery;

import io.openlocal.backend.error.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Open-Local's include/exclude lists: a name passes when it matches the include pattern and not the exclude
 * pattern. Patterns are searched for (as Go's {@code MatchString} does), so anchor them with {@code ^...$}
 * to match whole names. A device is tested by its kernel name ({@code sdb}) and by its path
 * ({@code /dev/sdb}), so either style of list works.
 */
public record NameFilter(Pattern include, Optional<Pattern> exclude) {

    /** Builds a filter from settings values; a pattern that does not compile names its setting. */
    public static NameFilter of(String includeKey, String include, String excludeKey, String exclude) {
        return new NameFilter(compile(includeKey, include),
                exclude == null || exclude.isEmpty() ? Optional.empty() : Optional.of(compile(excludeKey, exclude)));
    }

    /**
     * Joins an Open-Local style list of patterns into one (any of them matches), checking each; for callers
     * that hold {@code listConfig} lists and hand this backend one setting value.
     */
    public static String anyOf(String key, List<String> patterns) {
        for (String p : patterns) {
            compile(key, p);
        }
        return String.join("|", patterns.stream().map(p -> "(?:" + p + ")").toList());
    }

    private static Pattern compile(String key, String regex) {
        if (regex == null || regex.isEmpty()) {
            throw new StorageException.InvalidArgument(key + ": must be a regular expression, got nothing");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new StorageException.InvalidArgument(key + ": invalid regular expression '" + regex + "': "
                    + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** Whether any of the names passes (include matches one of them, exclude matches none). */
    public boolean accepts(String... names) {
        boolean included = false;
        for (String name : names) {
            if (exclude.isPresent() && exclude.get().matcher(name).find()) {
                return false;
            }
            included |= include.matcher(name).find();
        }
        return included;
    }
}
