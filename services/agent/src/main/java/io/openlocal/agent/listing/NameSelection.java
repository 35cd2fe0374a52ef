package io.openlocal.agent.listing;

import io.openlocal.kube.crd.IncludeExclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Open-Local's listConfig filter (its agent's {@code FilterInfo}): a name is selected when some include pattern
 * matches it and no exclude pattern does. "Matches" means the leftmost match of the pattern is the whole name
 * (Go's {@code FindString(name) == name}), so {@code /dev/vd[b-d]+} selects {@code /dev/vdb} but not
 * {@code /dev/vdb1}, and no anchors are needed. An empty include list selects nothing.
 *
 * <p>Names are what the status reports: VG names, device paths ({@code /dev/vdb}), mount paths. Unlike
 * Open-Local, the result keeps the discovery order instead of Go's random map order, and a list with a pattern
 * that does not compile selects nothing (the spec validator reports it) instead of crashing the agent: skipping
 * only the bad pattern could drop an exclude and hand out a disk the operator meant to keep.
 */
public final class NameSelection {

    private NameSelection() {
    }

    /** The names the rules select, in the order given, without duplicates. */
    public static List<String> select(List<String> names, IncludeExclude rules) {
        if (rules == null) {
            return List.of();
        }
        List<Pattern> include = compileAll(rules.include());
        List<Pattern> exclude = compileAll(rules.exclude());
        if (include == null || exclude == null) {
            return List.of();
        }
        Set<String> selected = new LinkedHashSet<>();
        for (String name : names) {
            if (include.stream().anyMatch(p -> matchesWhole(p, name))
                    && exclude.stream().noneMatch(p -> matchesWhole(p, name))) {
                selected.add(name);
            }
        }
        return List.copyOf(selected);
    }

    /** Whether the pattern's leftmost match is the whole name. */
    public static boolean matchesWhole(Pattern pattern, String name) {
        Matcher m = pattern.matcher(name);
        return m.find() && m.start() == 0 && m.end() == name.length();
    }

    /** The compiled patterns, or null when one does not compile. */
    private static List<Pattern> compileAll(List<String> regexes) {
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : regexes) {
            try {
                patterns.add(Pattern.compile(regex));
            } catch (PatternSyntaxException | NullPointerException e) {
                return null;
            }
        }
        return patterns;
    }
}
