package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image recipe matches what the chart runs. No Docker engine is available here, so the Dockerfile is
 * checked as text: base images, packages, the layout's place and the entry point. The layout itself (jars, jlinked
 * runtime, start script, trained archives) is built and run by images/ImageLayoutTest through images/assemble, the
 * script the Dockerfile runs.
 */
class ImageRecipeTest {

    private static final Path IMAGES = Path.of("..", "images");

    @Test
    void dockerfileBuildsOnJdk25LinksARuntimeAndInstallsTheStorageTools() throws Exception {
        String dockerfile = Files.readString(IMAGES.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-25", "ARG BASE_IMAGE=debian:bookworm-slim",
                "AS build", "-pl services/launcher -am package", "images/assemble /opt/open-local",
                "COPY --from=build /opt/open-local /opt/open-local");
        assertThat(Contract.LAUNCHER).isEqualTo("/opt/open-local/bin/open-local");
        for (String pkg : new String[] {"lvm2", "e2fsprogs", "xfsprogs", "util-linux", "nvme-cli"}) {
            assertThat(dockerfile).as("installs %s", pkg).containsPattern("install[^\\n]*(\\\\\\n[^\\n]*)*\\b" + pkg + "\\b");
        }
        assertThat(dockerfile).contains("ENTRYPOINT [\"" + Contract.LAUNCHER + "\"]");
        assertThat(dockerfile).contains("udev_sync=0", "udev_rules=0", "obtain_device_list_from_udev=0");
    }

    @Test
    void theChartRunsTheLauncherTheImageInstalls() {
        @SuppressWarnings("unchecked")
        Map<String, Object> image = (Map<String, Object>) Charts.renderer().defaultValues().get("image");
        assertThat(image.get("command")).isEqualTo(Contract.LAUNCHER);
        assertThat(image.get("repository")).isEqualTo("openlocal/open-local-java");
    }

    @Test
    void buildContextKeepsEveryModulePom() throws Exception {
        String ignore = Files.readString(IMAGES.resolve("Dockerfile.dockerignore"));
        String parent = Files.readString(Path.of("..", "pom.xml"));
        var modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (modules.find()) {
            assertThat(ignore.lines().map(String::strip)).as("module %s stays in the build context", modules.group(1))
                    .doesNotContain(modules.group(1), modules.group(1) + "/", modules.group(1) + "/pom.xml");
        }
    }
}
