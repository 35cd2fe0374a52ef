package io.openlocal.controller.initconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    private static V1LabelSelector expr(String key, String op, String... values) {
        return new V1LabelSelector().matchExpressions(List.of(new V1LabelSelectorRequirement().key(key).operator(op)
                .values(values.length == 0 ? null : List.of(values))));
    }

    private static final Map<String, String> LABELS = Map.of("zone", "a", "disk", "ssd");

    @Test
    void nullSelectorMatchesNothingAndEmptySelectorMatchesEverything() {
        assertThat(LabelSelectors.matches(null, LABELS)).isFalse();
        assertThat(LabelSelectors.matches(new V1LabelSelector(), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(new V1LabelSelector(), Map.of())).isTrue();
    }

    @Test
    void operatorsFollowKubernetes() {
        assertThat(LabelSelectors.matches(expr("zone", "In", "a", "b"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("zone", "In", "b"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("rack", "In", "a"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("zone", "NotIn", "b"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("rack", "NotIn", "b"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("zone", "NotIn", "a"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("disk", "Exists"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("rack", "Exists"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("rack", "DoesNotExist"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expr("zone", "DoesNotExist"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expr("zone", "Within", "a"), LABELS)).isFalse();
    }

    @Test
    void labelsAndExpressionsMustAllHold() {
        var both = new V1LabelSelector().matchLabels(Map.of("zone", "a"))
                .matchExpressions(List.of(new V1LabelSelectorRequirement().key("disk").operator("In")
                        .values(List.of("hdd"))));
        assertThat(LabelSelectors.matches(both, LABELS)).isFalse();
        assertThat(LabelSelectors.matches(new V1LabelSelector().matchLabels(Map.of("zone", "a", "disk", "ssd")),
                LABELS)).isTrue();
    }
}
