package io.openlocal.kube.crd;

/**
 * Which discovered resources may be allocated: regular expressions per kind (NLS {@code spec.listConfig}).
 * A null part means "no filter given".
 */
public record ListConfig(IncludeExclude devices, IncludeExclude mountPoints, IncludeExclude vgs) {
}
