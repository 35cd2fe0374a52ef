package io.openlocal.extender.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.placement.Strategy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExtenderOptionsTest {

    @Test
    void noFlagsGiveOpenLocalsDefaults() {
        ExtenderConfig c = ExtenderOptions.parse();
        assertThat(c.port()).isEqualTo(23000);
        assertThat(c.strategy()).isEqualTo(Strategy.BINPACK);
        assertThat(c.master()).isNull();
        assertThat(c.promiseTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void openLocalsFlagsAreAcceptedInBothForms() {
        ExtenderConfig c = ExtenderOptions.parse("--port=23001", "--scheduler-strategy", "spread",
                "--master", "http://127.0.0.1:8001/", "--promise-timeout=90s", "--max-request-size", "8Mi",
                "--max-nodes=6000", "--host", "127.0.0.1");
        assertThat(c.port()).isEqualTo(23001);
        assertThat(c.strategy()).isEqualTo(Strategy.SPREAD);
        assertThat(c.master()).isEqualTo("http://127.0.0.1:8001");
        assertThat(c.promiseTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.sweepInterval()).isLessThan(Duration.ofSeconds(90));
        assertThat(c.maxRequestBytes()).isEqualTo(8L << 20);
        assertThat(c.maxNodes()).isEqualTo(6000);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(ExtenderOptions.parse("--kubeconfig", "/etc/kube.conf").kubeconfig()).isEqualTo(Path.of("/etc/kube.conf"));
    }

    @Test
    void badFlagsAreRejectedNamingTheFlag() {
        assertRejected("--port", new String[] {"--port", "70000"}, "outside 0..65535");
        assertRejected("--port", new String[] {"--port=abc"}, "not a whole number");
        assertRejected("--scheduler-strategy", new String[] {"--scheduler-strategy=Binpack"}, "not binpack or spread");
        assertRejected("--master", new String[] {"--master", "ftp://x"}, "not an http(s) URL");
        assertRejected("--promise-timeout", new String[] {"--promise-timeout", "soon"}, "not a duration");
        assertRejected("--promise-timeout", new String[] {"--promise-timeout", "0s"}, "must be positive");
        assertRejected("--bogus", new String[] {"--bogus=1"}, "not a known flag");
        assertRejected("--port", new String[] {"--port"}, "needs a value");
        assertRejected("--port", new String[] {"--port=1", "--port=2"}, "given twice");
        assertRejected("--master", new String[] {"--master=http://a", "--kubeconfig=/k"}, "exclude each other");
        assertRejected("--max-request-size", new String[] {"--max-request-size=12"}, "at least 1Ki");
    }

    private static void assertRejected(String flag, String[] args, String problem) {
        assertThatThrownBy(() -> ExtenderOptions.parse(args)).isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageContaining("flag " + flag).hasMessageContaining(problem);
    }
}
