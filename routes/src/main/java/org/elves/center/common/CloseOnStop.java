package org.elves.center.common;

import org.apache.camel.support.service.ServiceSupport;

/** Releases a client that Camel does not own when the component's CamelContext stops. */
public final class CloseOnStop extends ServiceSupport {
    private final String what;
    private final AutoCloseable resource;

    public CloseOnStop(String what, AutoCloseable resource) {
        this.what = what;
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }

    @Override
    public String toString() {
        return "close " + what;
    }
}
