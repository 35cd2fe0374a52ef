package io.openlocal.observe.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSetupTest {

    @AfterEach
    void backToText() {
        LogSetup.use(LogFormat.TEXT);
    }

    @Test
    void jsonPutsTheJsonFormatterOnEveryRootHandlerAndTextTakesItOffAgain() {
        LogSetup.use(LogFormat.JSON);
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertThat(handlers).isNotEmpty().allSatisfy(h -> assertThat(h.getFormatter()).isInstanceOf(JsonLogFormatter.class));
        assertThat(LogSetup.active()).isEqualTo(LogFormat.JSON);

        LogSetup.use(LogFormat.TEXT);
        assertThat(LogManager.getLogManager().getLogger("").getHandlers())
                .allSatisfy(h -> assertThat(h.getFormatter()).isInstanceOf(SimpleFormatter.class));
        assertThat(LogSetup.active()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void wordsParseAndOthersAreRefusedNamingTheChoices() {
        assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse("text")).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> LogFormat.parse("JSON")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'JSON' is not a log format (expected text or json)");
    }
}
