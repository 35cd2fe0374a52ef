package io.openlocal.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the launcher's command line in the test's JVM: its exit code and what it printed. */
record LauncherRun(int exit, String out, String err) {

    static LauncherRun of(String... args) {
        CommandLine line = OpenLocal.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return new LauncherRun(line.execute(args), out.toString(), err.toString());
    }
}
