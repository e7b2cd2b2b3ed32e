package org.elves.config;

import java.util.Map;

/** A live instance of a component as registered in ZooKeeper: its id ({@code host:port}) and its data. */
public record Instance(String id, Map<String, Object> data) {
    public Instance {
        data = Map.copyOf(data);
    }
}
