package io.openlocal.backend.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressStepsTest {

    private final List<ProgressReport> reports = new ArrayList<>();

    @Test
    void checksThenNumberedStepsThenTheEndAreReportedInOrder() {
        try (ProgressSteps steps = ProgressSteps.begin(reports::add, "initialising VG pool0")) {
            steps.note("checking /dev/loop3, /dev/loop4");
            steps.plan(3);
            steps.step("pvcreate /dev/loop3");
            steps.step("pvcreate /dev/loop4");
            steps.step("vgcreate pool0");
        }
        assertThat(reports).extracting(ProgressReport::line).containsExactly(
                "initialising VG pool0: checking /dev/loop3, /dev/loop4",
                "initialising VG pool0: pvcreate /dev/loop3 (1/3)",
                "initialising VG pool0: pvcreate /dev/loop4 (2/3)",
                "initialising VG pool0: vgcreate pool0 (3/3)",
                "initialising VG pool0: vgcreate pool0 (3/3)");
        assertThat(reports).extracting(ProgressReport::finished).containsExactly(false, false, false, false, true);
    }

    @Test
    void fractionsBelongToTheCurrentStepAndAreClamped() {
        try (ProgressSteps steps = ProgressSteps.begin(reports::add, "zeroing")) {
            steps.plan(1).step("zeroing /dev/sdb");
            steps.fraction(0.425);
            steps.fraction(7);
        }
        assertThat(reports).extracting(ProgressReport::describe).containsExactly("zeroing /dev/sdb (1/1)",
                "zeroing /dev/sdb (1/1) 43%", "zeroing /dev/sdb (1/1) 100%", "zeroing /dev/sdb (1/1)");
    }

    @Test
    void anUnderCountedPlanGrowsInsteadOfReportingStepsPastTheEnd() {
        try (ProgressSteps steps = ProgressSteps.begin(reports::add, "op")) {
            steps.plan(1);
            steps.step("a");
            steps.step("b");
        }
        assertThat(reports).extracting(ProgressReport::describe).containsExactly("a (1/1)", "b (2/2)", "b (2/2)");
    }

    @Test
    void aFailingListenerDoesNotFailTheWork() {
        try (ProgressSteps steps = ProgressSteps.begin(r -> {
            throw new IllegalStateException("log full");
        }, "op")) {
            steps.plan(1).step("still done");
        }
    }

    @Test
    void andThenGivesEachReportToBothListenersInOrder() {
        List<String> seen = new ArrayList<>();
        Progress first = r -> seen.add("log " + r.describe());
        Progress both = first.andThen(r -> seen.add("status " + r.describe()));
        try (ProgressSteps steps = ProgressSteps.begin(both, "op")) {
            steps.note("checking");
        }
        assertThat(seen).containsExactly("log checking", "status checking", "log checking", "status checking");
    }

    @Test
    void closingTwiceReportsTheEndOnce() {
        ProgressSteps steps = ProgressSteps.begin(reports::add, "op");
        steps.close();
        steps.close();
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.finished()).isTrue());
    }

    @Test
    void reportsOutsideTheirBoundsAreRefused() {
        assertThatThrownBy(() -> new ProgressReport("op", "s", 3, 2, Double.NaN, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProgressReport("op", "s", 1, 2, 1.5, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
