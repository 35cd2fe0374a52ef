package io.openlocal.kube.crd;

import java.util.List;

/**
 * Regular expressions over resource names (VG names, device paths, mount paths). As in Open-Local, a name is
 * picked when some {@code include} matches the whole name and no {@code exclude} does; an empty {@code include}
 * list picks nothing. At most 50 of each, as the CRD says.
 */
public record IncludeExclude(List<String> include, List<String> exclude) {

    public IncludeExclude {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
