package org.elves.center.supervisor;

import org.elves.config.ElvesConfig;

import java.util.function.LongSupplier;

/** The Supervisor's beans on one store, wired as SupervisorConfiguration wires them. */
record SupervisorBeans(AppCatalogue apps, KeysAndGrants keys, PublishedTables tables,
                       ReferenceFunctions reference, AuditLog audit) {
    static SupervisorBeans start(SupervisorStore store, ElvesConfig config, LongSupplier clock) {
        AuditLog audit = new AuditLog(store, clock);
        AgentCategories categories = new AgentCategories(config);
        PublishedTables tables = new PublishedTables(store, config, categories);
        return new SupervisorBeans(new AppCatalogue(store, config, clock, categories, audit),
                new KeysAndGrants(store, clock, audit), tables, new ReferenceFunctions(store, categories, tables), audit);
    }
}
