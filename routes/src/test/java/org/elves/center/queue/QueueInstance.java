package org.elves.center.queue;

import org.elves.config.ElvesConfig;

import java.util.function.LongSupplier;

/** One Queue process's beans, wired as QueueConfiguration wires them (sharing one AgentSlots). */
record QueueInstance(QueueLifecycle lifecycle, QueueTaskResults results, QueueSweep sweeper) {
    static QueueInstance start(QueueStore store, ElvesConfig config, LongSupplier clock, LongSupplier brokerUpSinceMs) {
        AgentSlots slots = new AgentSlots(store, config, clock);
        QueueTaskResults results = new QueueTaskResults(store, clock, slots);
        return new QueueInstance(new QueueLifecycle(store, config, clock, slots), results,
                new QueueSweep(store, config, clock, brokerUpSinceMs, slots, results));
    }
}
