package org.elves.agent.thrift;

import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.agent.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's listening socket. Refuses callers outside {@code authips} at accept, before a byte
 * is read, and remembers the connections it handed out so closing the agent can cut them (a
 * pooled client connection otherwise keeps a server thread blocked in read).
 */
final class GuardedServerSocket extends TServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerSocket.class);

    private final PeerAllowList allowList;
    private final int idleTimeoutMillis;
    private final String name;
    private final LogThrottle refusals = new LogThrottle(1000);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    GuardedServerSocket(ServerSocket bound, PeerAllowList allowList, int idleTimeoutMillis, String name)
            throws TTransportException {
        super(bound, idleTimeoutMillis);
        this.allowList = allowList;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.name = name;
    }

    @Override
    public TSocket accept() throws TTransportException {
        ServerSocket server = getServerSocket();
        if (server == null) {
            throw new TTransportException(TTransportException.NOT_OPEN, "no underlying server socket");
        }
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                throw new TTransportException(e);
            }
            InetAddress peer = ((InetSocketAddress) client.getRemoteSocketAddress()).getAddress();
            if (allowList.allows(peer)) {
                return track(client);
            }
            closeQuietly(client);
            long suppressed = refusals.permit();
            if (suppressed >= 0) {
                LOG.warn("agent {}: refused connection from {} (not in authips){}", name, peer.getHostAddress(),
                        suppressed > 0 ? "; " + suppressed + " more refused since the last warning" : "");
            }
        }
    }

    private TSocket track(Socket client) throws TTransportException {
        try {
            client.setSoTimeout(idleTimeoutMillis);
        } catch (IOException e) {
            closeQuietly(client);
            throw new TTransportException(e);
        }
        open.add(client);
        return new TSocket(client) {
            @Override
            public void close() {
                super.close();
                open.remove(client);
            }
        };
    }

    /**
     * Stops accepting and ends the input of every open connection: each serving thread then reads
     * a clean end of stream, answers nothing more and closes its side (a hard close here would
     * log a socket error per connection).
     */
    @Override
    public void close() {
        super.close();
        for (Socket s : open) {
            try {
                s.shutdownInput();
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
    }

    /** Closes whatever connection is still open (its thread did not finish in time). */
    void closeConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    int openConnections() {
        return open.size();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken: nothing left to release
        }
    }
}
