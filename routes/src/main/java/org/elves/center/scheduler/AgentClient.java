package org.elves.center.scheduler;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.center.common.PoolFriendlyBlocking;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.net.SocketTimeoutException;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Calls agents over Thrift (binary protocol, unframed socket, as the original agent speaks),
 * keeping a few open connections per agent: connecting is a good part of a realtime call.
 * Written on libthrift directly because camel-thrift's producer keeps one socket per endpoint and
 * does not reconnect to an agent that restarted.
 */
public class AgentClient implements AutoCloseable {
    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final int connectTimeoutMs;
    private final int maxIdlePerAgent;

    public AgentClient(int connectTimeoutMs, int maxIdlePerAgent) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.maxIdlePerAgent = maxIdlePerAgent;
    }

    /**
     * Runs one instruct synchronously. A pooled connection may have died with its agent; then the
     * call is repeated once on a fresh one, which is safe because an agent runs a task id once.
     */
    public Reinstruct invokeSync(String ip, int port, Instruct ins, int readTimeoutMs) {
        return call(ip, port, readTimeoutMs, client -> client.instructionInvokeSync(ins));
    }

    /** Sends a batch; the agent acknowledges at once and reports results through dataTransport. */
    public List<Reinstruct> invokeAsync(String ip, int port, List<Instruct> batch, int readTimeoutMs) {
        return call(ip, port, readTimeoutMs, client -> client.instructionInvokeAsync(batch));
    }

    /**
     * Asks the agent to kill the running workers of these task ids (AgentService.instructionCancel,
     * ours): the ids it killed, or null when the agent does not know the method (an original
     * agent answers UNKNOWN_METHOD: it cannot cancel, which is no error).
     */
    public List<String> cancel(String ip, int port, List<String> ids, int readTimeoutMs) {
        return call(ip, port, readTimeoutMs, client -> {
            try {
                return client.instructionCancel(ids);
            } catch (TApplicationException e) {
                if (e.getType() == TApplicationException.UNKNOWN_METHOD) {
                    // the agent read the whole call and answered: the connection is still good
                    return null;
                }
                throw e;
            }
        });
    }

    /**
     * Hands the agent its agent-side cron list (AgentService.cronSync, ours): the version it now
     * holds, or null when it does not know the method (an original agent has no such crons).
     */
    public String cronSync(String ip, int port, String crons, int readTimeoutMs) {
        return call(ip, port, readTimeoutMs, client -> {
            try {
                return client.cronSync(crons);
            } catch (TApplicationException e) {
                if (e.getType() == TApplicationException.UNKNOWN_METHOD) {
                    return null;
                }
                throw e;
            }
        });
    }

    public String aliveCheck(String ip, int port, int readTimeoutMs) {
        return call(ip, port, readTimeoutMs, AgentService.Client::aliveCheck);
    }

    private <T> T call(String ip, int port, int readTimeoutMs, AgentCall<T> call) {
        // run where an rpc reply left the route: on the common ForkJoinPool, which must not starve
        return PoolFriendlyBlocking.call(() -> callAgent(ip, port, readTimeoutMs, call));
    }

    private <T> T callAgent(String ip, int port, int readTimeoutMs, AgentCall<T> call) {
        String key = ip + ":" + port;
        Connection pooled = borrow(key);
        if (pooled != null) {
            try {
                return callOn(pooled, key, readTimeoutMs, call);
            } catch (TTransportException stale) {
                pooled.close();
                if (isTimeout(stale)) {
                    throw new ElvesException(ErrorCode.AGENT_ANSWER_TIMEOUT, key + " gave no answer in " + readTimeoutMs + " ms");
                }
            } catch (TException e) {
                pooled.close();
                throw new ElvesException(ErrorCode.SEND_JOB_FAIL, key + ": " + e.getMessage());
            }
        }
        Connection fresh;
        try {
            fresh = Connection.open(ip, port, connectTimeoutMs);
        } catch (TTransportException e) {
            throw new ElvesException(ErrorCode.SEND_JOB_FAIL, key + ": " + rootMessage(e));
        }
        try {
            return callOn(fresh, key, readTimeoutMs, call);
        } catch (TException e) {
            fresh.close();
            if (isTimeout(e)) {
                throw new ElvesException(ErrorCode.AGENT_ANSWER_TIMEOUT, key + " gave no answer in " + readTimeoutMs + " ms");
            }
            throw new ElvesException(ErrorCode.SEND_JOB_FAIL, key + ": " + rootMessage(e));
        }
    }

    private <T> T callOn(Connection c, String key, int readTimeoutMs, AgentCall<T> call) throws TException {
        c.socket.setTimeout(readTimeoutMs);
        T result = call.on(c.client);
        release(key, c);
        return result;
    }

    private Connection borrow(String key) {
        Deque<Connection> q = idle.get(key);
        return q == null ? null : q.pollFirst();
    }

    private void release(String key, Connection c) {
        Deque<Connection> q = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        if (q.size() < maxIdlePerAgent) {
            q.offerFirst(c);
        } else {
            c.close();
        }
    }

    @Override
    public void close() {
        idle.values().forEach(q -> {
            Connection c;
            while ((c = q.pollFirst()) != null) {
                c.close();
            }
        });
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return true;
            }
            if (c instanceof TTransportException tt && tt.getType() == TTransportException.TIMED_OUT) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @FunctionalInterface
    private interface AgentCall<T> {
        T on(AgentService.Client client) throws TException;
    }

    private record Connection(TSocket socket, AgentService.Client client) {
        static Connection open(String ip, int port, int connectTimeoutMs) throws TTransportException {
            TSocket socket = new TSocket(new org.apache.thrift.TConfiguration(), ip, port, connectTimeoutMs, connectTimeoutMs);
            socket.open();
            try {
                socket.getSocket().setTcpNoDelay(true);
            } catch (java.net.SocketException ignored) {
                // only a latency hint
            }
            return new Connection(socket, new AgentService.Client(new TBinaryProtocol(socket)));
        }

        void close() {
            socket.close();
        }
    }
}
