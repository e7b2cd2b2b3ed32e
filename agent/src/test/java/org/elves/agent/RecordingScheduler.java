package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.OutputChunk;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The center's SchedulerService for a test: answers "success" and records each result the agent
 * delivers ({@code dataTransport}). Serve it with {@link #serve()} and point an agent at it with
 * {@link #agentSettings}.
 */
public final class RecordingScheduler implements SchedulerService.Iface {
    /** The delivered results, oldest first; a test may poll or clear it. */
    public final BlockingQueue<Reinstruct> delivered = new LinkedBlockingQueue<>();
    /** The output chunks streamed to it ({@code outputTransport}), in arrival order. */
    public final BlockingQueue<OutputChunk> output = new LinkedBlockingQueue<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    @Override
    public String aliveCheck() {
        return "success";
    }

    @Override
    public String dataTransport(Reinstruct reins) {
        deliveries.computeIfAbsent(reins.getIns().getId(), id -> new AtomicInteger()).incrementAndGet();
        delivered.add(reins);
        return "success";
    }

    @Override
    public String outputTransport(List<OutputChunk> chunks) {
        output.addAll(chunks);
        return "success";
    }

    @Override
    public Reinstruct instructionTransit(Instruct ins) {
        throw new UnsupportedOperationException();
    }

    /** Serves it on 127.0.0.1 at a free port. */
    public ThriftTestServer serve() throws Exception {
        return serve(0);
    }

    /** Serves it on 127.0.0.1 at this port (0: a free one), e.g. one an agent was given before it came up. */
    public ThriftTestServer serve(int port) throws Exception {
        return ThriftTestServer.start(new SchedulerService.Processor<>(this), port);
    }

    /** The next delivered result, waiting up to this many seconds; fails when none came. */
    public Reinstruct awaitResult(long seconds) throws InterruptedException {
        return awaitResult(seconds, "no result reached the scheduler in " + seconds + " s");
    }

    /** The next delivered result, waiting up to this many seconds; fails with this message when none came. */
    public Reinstruct awaitResult(long seconds, String message) throws InterruptedException {
        Reinstruct r = delivered.poll(seconds, TimeUnit.SECONDS);
        assertNotNull(r, message);
        return r;
    }

    /** The next n delivered results, waiting up to this many seconds for each. */
    public List<Reinstruct> awaitResults(int n, long seconds) throws InterruptedException {
        List<Reinstruct> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(awaitResult(seconds, "result " + i + " of " + n + " not delivered"));
        }
        return got;
    }

    /** How many times each task id's result was delivered; clearing {@link #delivered} keeps these. */
    public Map<String, AtomicInteger> deliveriesById() {
        return Collections.unmodifiableMap(deliveries);
    }

    /** An agent on host at a free port, with these dirs and no heartbeat, reporting to the scheduler at schedulerAt. */
    public static AgentSettings.Builder agentSettings(Path apps, Path state, String host, Endpoint schedulerAt) {
        return AgentSettings.builder().appsDir(apps).stateDir(state).bind(host).port(0).heartbeatEnabled(false)
                .schedulers(List.of(schedulerAt));
    }
}
