package io.openlocal.testinfra.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and one certificate signed by it (EC P-256, valid for a day), made with the openssl command in a
 * directory of its own: {@code ca.crt}, {@code tls.crt} and {@code tls.key} (PKCS#8), the files a CSI node plugin's
 * node API reads, as the chart's secret holds them.
 */
public final class ThrowAwayPki {

    private ThrowAwayPki() {
    }

    /**
     * Makes the files in {@code dir} (created if absent) unless {@code tls.crt} is already there.
     *
     * @param commonName the certificate's subject CN
     * @return {@code dir}
     */
    public static Path in(Path dir, String commonName) throws IOException, InterruptedException {
        if (Files.isRegularFile(dir.resolve("tls.crt"))) {
            return dir;
        }
        Files.createDirectories(dir);
        String curve = "ec_paramgen_curve:prime256v1";
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-subj", "/CN=throw-away-ca", "-days", "1");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", "tls.key", "-out", "tls.csr",
                "-subj", "/CN=" + commonName);
        openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "tls.crt", "-days", "1");
        return dir;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("openssl-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + String.join(" ", args) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
