package org.elves.agent;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (agents, servers, processes), closed last first when it ends. */
public final class OpenResources implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Keeps it to close; returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
