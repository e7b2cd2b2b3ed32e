package org.elves.agent.thrift;

import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.elves.agent.config.Endpoint;

/** Outgoing Thrift calls the way the original center serves them: binary protocol, unframed. */
public final class ThriftClients {
    private ThriftClients() {
    }

    /** An open connection with one timeout for connecting and for each read; the caller closes it. */
    public static TSocket open(Endpoint endpoint, int timeoutMillis) throws TException {
        return open(endpoint, timeoutMillis, timeoutMillis);
    }

    /** @param readTimeoutMillis 0 waits for an answer as long as it takes */
    public static TSocket open(Endpoint endpoint, int connectTimeoutMillis, int readTimeoutMillis) throws TException {
        TSocket socket = new TSocket(TConfiguration.DEFAULT, endpoint.host(), endpoint.port(), readTimeoutMillis,
                connectTimeoutMillis);
        socket.open();
        return socket;
    }

    /** Connects, makes one call, closes. */
    public static <R> R callOnce(Endpoint endpoint, int timeoutMillis, ThriftCall<R> call) throws TException {
        return callOnce(endpoint, timeoutMillis, timeoutMillis, call);
    }

    public static <R> R callOnce(Endpoint endpoint, int connectTimeoutMillis, int readTimeoutMillis, ThriftCall<R> call)
            throws TException {
        TSocket socket = open(endpoint, connectTimeoutMillis, readTimeoutMillis);
        try {
            return call.call(new TBinaryProtocol(socket));
        } finally {
            socket.close();
        }
    }
}
