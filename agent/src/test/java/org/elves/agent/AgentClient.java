package org.elves.agent;

import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** What the center does: a plain (unframed) binary Thrift client on one open connection. */
public final class AgentClient implements AutoCloseable {
    private final TTransport transport;
    public final AgentService.Client api;

    private AgentClient(TTransport transport) {
        this.transport = transport;
        this.api = new AgentService.Client(new TBinaryProtocol(transport));
    }

    public static AgentClient connect(String host, int port) throws Exception {
        TSocket s = new TSocket(TConfiguration.DEFAULT, host, port, 20_000, 5_000);
        s.open();
        return new AgentClient(s);
    }

    /** Connects from a chosen local source address, e.g. 127.0.0.9, to test authips. */
    public static AgentClient connectFrom(String sourceIp, String host, int port) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceIp), 0));
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(5000);
        return new AgentClient(new TSocket(socket));
    }

    public static AgentClient connectFramed(String host, int port) throws Exception {
        TSocket s = new TSocket(TConfiguration.DEFAULT, host, port, 20_000, 5_000);
        s.open();
        return new AgentClient(new TFramedTransport(s));
    }

    public static Instruct instruct(String id, String app, String func, String param) {
        return new Instruct(id, "127.0.0.1", "rt", "NP", app, func, param, 0, "");
    }

    @Override
    public void close() {
        transport.close();
    }
}
