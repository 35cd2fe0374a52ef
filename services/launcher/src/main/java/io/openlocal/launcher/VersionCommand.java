package io.openlocal.launcher;

import io.openlocal.kube.OpenLocalNames;
import io.openlocal.launcher.standalone.Version;
import picocli.CommandLine.Command;

/** {@code open-local version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version and the CSI driver name.")
final class VersionCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("open-local " + Version.text() + " (CSI driver " + OpenLocalNames.DRIVER_NAME
                + ", CSI spec v1.12, Java " + Runtime.version() + ")");
    }
}
