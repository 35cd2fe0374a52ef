package io.openlocal.launcher;

import io.openlocal.agent.AgentConfig;
import io.openlocal.agent.AgentDaemon;
import io.openlocal.agent.AgentHandle;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code open-local agent}: the per-node agent (discovery, pool initialisation, NodeLocalStorage status). */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the node agent: discover local storage, initialise what this node's NodeLocalStorage "
                + "asks for, report it in the NodeLocalStorage status. Keys: docs/control-plane.md."})
final class AgentCommand implements Runnable {

    @Mixin
    LogOptions logging;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (agent keys).")
    Path config;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "This node's name; wins over the file's nodeName (the chart passes $(NODE_NAME)).")
    String nodeName;

    @Override
    public void run() {
        logging.apply();
        AgentConfig parsed = AgentConfig.from(Daemons.settings(config).withOverride("nodeName", nodeName));
        AgentHandle handle = AgentDaemon.start(parsed);
        Daemons.runUntilStopped("agent", handle, "watching NodeLocalStorage " + parsed.nodeName()
                + "; health and metrics on port " + handle.port());
    }
}
