package io.openlocal.launcher;

import io.openlocal.launcher.standalone.Version;
import io.openlocal.observe.log.LogFormat;
import io.openlocal.observe.log.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code open-local COMMAND}: one executable for every Open-Local process. A new process is one more class in
 * {@code subcommands} below.
 */
@Command(name = "open-local", mixinStandardHelpOptions = true, versionProvider = OpenLocal.VersionProvider.class,
        description = "Local disks as dynamically provisioned, capacity-scheduled volumes (Open-Local for Java).",
        subcommands = {
                StandaloneCommand.class,
                DemoCommand.class,
                AgentCommand.class,
                ControllerCommand.class,
                CsiCommand.class,
                SchedulerExtenderCommand.class,
                StatusCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class OpenLocal implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        configureLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * The launcher's logging.properties (open-local's own INFO and up, other libraries' warnings), unless the user
     * points java.util.logging at a configuration of their own. {@code --log-format} then picks the format.
     */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (java.io.InputStream in = OpenLocal.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                java.util.logging.LogManager.getLogManager().readConfiguration(in);
            }
        } catch (java.io.IOException e) {
            System.err.println("open-local: cannot read the logging configuration: " + e.getMessage());
        }
    }

    /** The command line with its error handling: typed errors print one line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new OpenLocal());
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = "open-local " + cmd.getCommandName() + ": " + e.getMessage();
            if (LogSetup.active() == LogFormat.JSON) {
                Daemons.record(java.util.logging.Level.SEVERE, message);
            } else {
                cmd.getErr().println(message);
            }
            return 1;
        });
        return line;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"open-local " + Version.text()};
        }
    }
}
