package io.openlocal.kube.crd;

import java.util.List;

/**
 * Regular expressions over resource names: a name is picked when it matches some {@code include} (or there is
 * no include list) and no {@code exclude}. At most 50 of each, as the CRD says.
 */
public record IncludeExclude(List<String> include, List<String> exclude) {

    public IncludeExclude {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
