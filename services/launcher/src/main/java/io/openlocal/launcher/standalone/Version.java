package io.openlocal.launcher.standalone;

/** The version of this build, from the jar's manifest (a development build when run from classes). */
public final class Version {

    private Version() {
    }

    public static String text() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-dev" : version;
    }
}
