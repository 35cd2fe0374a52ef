package io.openlocal.observe.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.progress.ProgressSteps;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ProgressLogTest {

    @Test
    void stepsAreInfoLinesAndTheEndIsNotLogged() {
        Logger logger = Logger.getLogger("io.openlocal.test.progress." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<String> lines = new CopyOnWriteArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        try (ProgressSteps steps = ProgressSteps.begin(new ProgressLog(logger), "releasing Device volume v on /dev/sdb")) {
            steps.note("checking /dev/sdb");
            steps.plan(1).step("wiping /dev/sdb: signatures");
        }
        assertThat(lines).containsExactly("INFO releasing Device volume v on /dev/sdb: checking /dev/sdb",
                "INFO releasing Device volume v on /dev/sdb: wiping /dev/sdb: signatures (1/1)");
    }
}
