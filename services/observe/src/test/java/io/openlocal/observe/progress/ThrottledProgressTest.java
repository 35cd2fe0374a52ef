package io.openlocal.observe.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.backend.progress.ProgressSteps;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottledProgressTest {

    private static final Duration INTERVAL = Duration.ofMillis(400);

    private final List<ProgressReport> passed = new CopyOnWriteArrayList<>();
    private final ThrottledProgress throttled = new ThrottledProgress(passed::add, INTERVAL);

    @AfterEach
    void stop() {
        throttled.close();
    }

    private List<String> lines() {
        return passed.stream().map(r -> (r.finished() ? "end " : "") + r.line()).toList();
    }

    @Test
    void firstReportPassesAtOnceAndARapidSeriesIsHeldToTheLatestUntilTheIntervalEnds() {
        ProgressSteps steps = ProgressSteps.begin(throttled, "initialising VG pool0");
        steps.note("checking /dev/loop3");
        steps.plan(3);
        steps.step("pvcreate /dev/loop3");
        steps.step("pvcreate /dev/loop4");
        steps.step("vgcreate pool0");
        assertThat(lines()).containsExactly("initialising VG pool0: checking /dev/loop3");
        // vgcreate "hangs": its step is passed on when the interval ends, the two pvcreates never are.
        await().atMost(Duration.ofSeconds(3)).until(() -> passed.size() == 2);
        assertThat(lines()).containsExactly("initialising VG pool0: checking /dev/loop3",
                "initialising VG pool0: vgcreate pool0 (3/3)");
        steps.close();
        assertThat(lines()).last().isEqualTo("end initialising VG pool0: vgcreate pool0 (3/3)");
    }

    @Test
    void theEndPassesAtOnceAndDropsWhatWasHeld() throws Exception {
        ProgressSteps steps = ProgressSteps.begin(throttled, "op");
        steps.plan(2).step("a");
        steps.step("b");
        steps.close();
        Thread.sleep(INTERVAL.toMillis() * 2);
        assertThat(lines()).containsExactly("op: a (1/2)", "end op: b (2/2)");
    }

    @Test
    void aReportAfterTheIntervalPassesAtOnce() throws Exception {
        ProgressSteps steps = ProgressSteps.begin(throttled, "op");
        steps.plan(2).step("a");
        Thread.sleep(INTERVAL.toMillis() + 50);
        steps.step("b");
        assertThat(lines()).containsExactly("op: a (1/2)", "op: b (2/2)");
    }

    @Test
    void operationsAreThrottledEachOnItsOwn() {
        ProgressSteps one = ProgressSteps.begin(throttled, "one");
        ProgressSteps two = ProgressSteps.begin(throttled, "two");
        one.note("x");
        two.note("y");
        assertThat(lines()).containsExactly("one: x", "two: y");
    }
}
