package org.elves.agent.thrift;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.agent.config.Endpoint;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a few idle connections per endpoint. Async results can come back at thousands per second;
 * a connection per result would leave as many sockets in TIME_WAIT and run out of ports.
 */
public final class ClientPool implements AutoCloseable {
    private static final int MAX_IDLE_PER_ENDPOINT = 4;
    /** Older idle connections are dropped rather than risked: servers close silent clients. */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Idle(TSocket socket, long since) {
    }

    private final Map<Endpoint, Deque<Idle>> idle = new HashMap<>();
    private boolean closed;

    /**
     * Makes the call on a pooled connection. A reused connection that turns out to be dead is
     * replaced by a fresh one once; errors on a fresh connection are the caller's.
     */
    public <R> R call(Endpoint endpoint, int timeoutMillis, ThriftCall<R> call) throws TException {
        TSocket reused = borrow(endpoint);
        if (reused != null) {
            try {
                R result = call.call(new TBinaryProtocol(reused));
                release(endpoint, reused);
                return result;
            } catch (TTransportException stale) {
                reused.close();
            } catch (TException | RuntimeException e) {
                reused.close();
                throw e;
            }
        }
        TSocket fresh = ThriftClients.open(endpoint, timeoutMillis);
        try {
            R result = call.call(new TBinaryProtocol(fresh));
            release(endpoint, fresh);
            return result;
        } catch (TException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private synchronized TSocket borrow(Endpoint endpoint) {
        Deque<Idle> q = idle.get(endpoint);
        long now = System.nanoTime();
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast();
            if (now - i.since() < MAX_IDLE_NANOS && i.socket().isOpen()) {
                return i.socket();
            }
            i.socket().close();
        }
        return null;
    }

    private void release(Endpoint endpoint, TSocket socket) {
        synchronized (this) {
            Deque<Idle> q = idle.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
            if (!closed && q.size() < MAX_IDLE_PER_ENDPOINT) {
                q.addLast(new Idle(socket, System.nanoTime()));
                return;
            }
        }
        socket.close();
    }

    @Override
    public synchronized void close() {
        closed = true;
        idle.values().forEach(q -> q.forEach(i -> i.socket().close()));
        idle.clear();
    }
}
