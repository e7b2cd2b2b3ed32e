package org.elves.agent.thrift;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TProtocol;

/** One request on an open connection, e.g. {@code p -> new SchedulerService.Client(p).dataTransport(r)}. */
@FunctionalInterface
public interface ThriftCall<R> {
    R call(TProtocol protocol) throws TException;
}
