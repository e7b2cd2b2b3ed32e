package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.center.contract.ProcessorResult;
import org.elves.config.ElvesConfig;
import org.elves.protocol.thrift.AppService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Mode P (CAP): hands a task's worker result to its app's processor, {@code
 * AppService.runProcessor(Reinstruct)} with the full Instruct (agent ip included), flag, costtime
 * and message, over plain Thrift (binary protocol, unframed socket, one call per connection as the
 * original's processors expect). Runs off the result path (route scheduler.processor, a wire tap);
 * its outcome is the {@code processorResult} body {id, processor_flag, processor_error,
 * processor_costtime} cast to the task's component. No retry after a call was sent (the processor
 * may have acted on it); a connection that could not be opened is tried once more.
 */
public class ProcessorDelivery {
    /** Exchange property: the agent's Reinstruct, set by route scheduler.agent-result. */
    public static final String REINSTRUCT = "ElvesReinstruct";
    static final String TIMEOUT_KEY = "elves.scheduler.processor.timeout-ms";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorDelivery.class);

    private final ProcessorRegistry registry;
    private final ElvesConfig config;

    public ProcessorDelivery(ProcessorRegistry registry, ElvesConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** True when the exchange carries an agent's result of a mode-P task. */
    public static boolean wanted(Exchange exchange) {
        Reinstruct reins = exchange.getProperty(REINSTRUCT, Reinstruct.class);
        return reins != null && reins.getIns() != null && "P".equalsIgnoreCase(reins.getIns().getMode());
    }

    /** Calls the app's processor once; the processorResult body, never an exception. */
    public Map<String, Object> deliver(Reinstruct reins) {
        Instruct ins = reins.getIns() == null ? new Instruct() : reins.getIns();
        String id = ins.getId() == null ? "" : ins.getId();
        String app = ins.getApp() == null ? "" : ins.getApp();
        ProcessorRegistry.Address address;
        try {
            address = registry.find(app);
        } catch (IllegalArgumentException e) {
            return failed(id, app, e.getMessage(), 0);
        }
        if (address == null) {
            return failed(id, app, "no processor registered for " + app, 0);
        }
        int timeoutMs = Math.max(1, config.requireInt(TIMEOUT_KEY));
        long start = System.nanoTime();
        try {
            String answer = call(address, timeoutMs, reins);
            long cost = elapsedMs(start);
            if (!"success".equalsIgnoreCase(answer == null ? "" : answer.strip())) {
                return failed(id, app, "processor " + address + " answered '" + answer + "'", cost);
            }
            LOG.debug("task {} app [{}]: delivered to processor {} in {} ms", id, app, address, cost);
            return result(id, true, "", cost);
        } catch (TException e) {
            return failed(id, app, "processor " + address + " not reached: " + rootMessage(e), elapsedMs(start));
        }
    }

    private static String call(ProcessorRegistry.Address address, int timeoutMs, Reinstruct reins) throws TException {
        TSocket socket = open(address, timeoutMs);
        try {
            return new AppService.Client(new TBinaryProtocol(socket)).runProcessor(reins);
        } finally {
            socket.close();
        }
    }

    /** Opening is tried twice: nothing was sent yet, so a second try cannot deliver twice. */
    private static TSocket open(ProcessorRegistry.Address address, int timeoutMs) throws TTransportException {
        TTransportException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            TSocket socket = new TSocket(new TConfiguration(), address.host(), address.port(), timeoutMs, timeoutMs);
            try {
                socket.open();
                return socket;
            } catch (TTransportException e) {
                socket.close();
                if (first != null) {
                    throw e;
                }
                first = e;
            }
        }
        throw first;
    }

    private static Map<String, Object> failed(String id, String app, String error, long costMs) {
        LOG.warn("task {} app [{}]: processor not notified: {}", id, app, error);
        return result(id, false, error, costMs);
    }

    private static Map<String, Object> result(String id, boolean delivered, String error, long costMs) {
        return new ProcessorResult(id, delivered, error, costMs).toMap();
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
