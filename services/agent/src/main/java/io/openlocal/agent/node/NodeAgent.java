package io.openlocal.agent.node;

import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.discovery.InventoryScanner;
import io.openlocal.agent.discovery.NodeInventory;
import io.openlocal.agent.init.InitOutcome;
import io.openlocal.agent.init.ResourceInitializer;
import io.openlocal.agent.status.StatusAssembler;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.spec.SpecProblem;
import io.openlocal.kube.spec.StorageSpecValidator;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agent's core, free of any server or Kubernetes client: from the node's NLS (spec and last status) to the
 * status it should have, initialising what the spec asks for on the way.
 *
 * <p>One pass: check the spec; point the SPDK backend at the socket the spec names; discover; initialise the
 * {@code resourceToBeInited} entries that are missing (through the backend owning each kind); discover again
 * if anything was created; build the status; collect the notices that are new since the previous pass.
 * Not thread-safe: one pass at a time (the agent's work queue has one key).
 */
public final class NodeAgent {

    private final NodeBackends backends;
    private final InventoryScanner scanner;
    private final ResourceInitializer initializer;
    private final StatusAssembler assembler = new StatusAssembler();
    private final Clock clock;
    private Set<Notice> raised = Set.of();

    public NodeAgent(NodeBackends backends, ResourceInitializer initializer, Clock clock) {
        this.backends = backends;
        this.scanner = new InventoryScanner(backends);
        this.initializer = initializer;
        this.clock = clock;
    }

    public PassResult pass(NodeLocalStorage nls) {
        NodeLocalStorageSpec spec = nls.getSpec();
        List<SpecProblem> problems = StorageSpecValidator.validate(spec);
        boolean spdkConfigValid = problems.stream().noneMatch(p -> p.field().startsWith("spec.spdkConfig"));
        backends.useSpdkSocket(spec == null || spec.spdkConfig() == null || !spdkConfigValid ? null
                : spec.spdkConfig().rpcSocket());

        NodeInventory inventory = scanner.scan();
        ResourceInitializer.Pass init = initializer.apply(spec, problems, inventory);
        if (init.changedNode()) {
            inventory = scanner.scan();
        }
        Long generation = nls.getMetadata() == null ? null : nls.getMetadata().getGeneration();
        var status = assembler.build(new StatusAssembler.Inputs(spec, generation, problems, inventory,
                init.outcomes(), nls.getStatus(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                .withNano(0)));
        return new PassResult(status, newNotices(problems, inventory, init.outcomes()), inventory, init.outcomes(),
                init.changedNode());
    }

    /** The notices of this pass that the previous pass did not raise (so a lasting problem is reported once). */
    private List<Notice> newNotices(List<SpecProblem> problems, NodeInventory inventory, List<InitOutcome> outcomes) {
        Set<Notice> now = new LinkedHashSet<>();
        if (!problems.isEmpty()) {
            now.add(new Notice(Notice.WARNING, "InvalidSpec", "the NodeLocalStorage spec has "
                    + problems.size() + " problem(s); invalid parts are not acted on: "
                    + problems.stream().map(Object::toString).collect(Collectors.joining("; "))));
        }
        for (PoolType type : PoolType.values()) {
            String failure = inventory.failures().get(type);
            if (failure != null) {
                now.add(new Notice(Notice.WARNING, "DiscoveryFailed", type.volumeType() + " discovery failed: "
                        + failure));
            }
        }
        for (InitOutcome o : outcomes) {
            switch (o.result()) {
                case CREATED -> now.add(new Notice(Notice.NORMAL, "Initialized", o.field() + ": " + o.message()));
                case REFUSED -> now.add(new Notice(Notice.WARNING, "InitRefused", o.field() + ": " + o.message()));
                case FAILED -> now.add(new Notice(Notice.WARNING, "InitFailed", o.field() + ": " + o.message()));
                default -> {
                    // PRESENT needs no event; INVALID is covered by the InvalidSpec notice
                }
            }
        }
        List<Notice> fresh = new ArrayList<>();
        for (Notice n : now) {
            if (!raised.contains(n)) {
                fresh.add(n);
            }
        }
        raised = Set.copyOf(now);
        return fresh;
    }
}
