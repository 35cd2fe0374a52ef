package io.openlocal.controller.initconfig;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label-selector matching (apimachinery {@code LabelSelectorAsSelector}): matchLabels and
 * matchExpressions all must hold; an empty selector matches every node; a missing (null) selector matches
 * none. Operators: In (label present with one of the values), NotIn (label absent or none of the values),
 * Exists, DoesNotExist. A selector with an unknown operator matches nothing (the NLSC validator reports it).
 */
public final class LabelSelectors {

    private LabelSelectors() {
    }

    public static boolean matches(V1LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> nodeLabels = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!nodeLabels.containsKey(e.getKey()) || !nodeLabels.get(e.getKey()).equals(
                        e.getValue() == null ? "" : e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (V1LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!holds(r, nodeLabels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(V1LabelSelectorRequirement r, Map<String, String> labels) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean present = labels.containsKey(r.getKey());
        String op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> present && values.contains(labels.get(r.getKey()));
            case "NotIn" -> !present || !values.contains(labels.get(r.getKey()));
            case "Exists" -> present;
            case "DoesNotExist" -> !present;
            default -> false;
        };
    }
}
