package org.elves.center.supervisor;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.elves.config.ElvesConfig;

/**
 * Supervisor: apps, versions and packages, deployments, keys and grants, audit, in MongoDB
 * (reference §10, with the model); serves the packages agents download and the admin page.
 */
public class SupervisorConfiguration implements CamelConfiguration {

    @BindToRegistry("supervisorStore")
    public SupervisorStore supervisorStore(@BeanInject("elvesMongo") MongoClient mongo,
                                           @PropertyInject("elves.mongo.database") String database) {
        return new SupervisorStore(mongo, database);
    }

    @BindToRegistry("agentCategories")
    public AgentCategories agentCategories(@BeanInject("elvesConfig") ElvesConfig config) {
        return new AgentCategories(config);
    }

    /**
     * The beans that need each other, bound in that order: Camel orders @BindToRegistry methods by
     * a heuristic that a chain of them defeats now and then.
     */
    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        SupervisorStore store = registry.lookupByNameAndType("supervisorStore", SupervisorStore.class);
        ElvesConfig config = registry.lookupByNameAndType("elvesConfig", ElvesConfig.class);
        AgentCategories categories = registry.lookupByNameAndType("agentCategories", AgentCategories.class);
        AuditLog audit = new AuditLog(store, System::currentTimeMillis);
        AppCatalogue apps = new AppCatalogue(store, config, System::currentTimeMillis, categories, audit);
        PublishedTables tables = new PublishedTables(store, config, categories);
        registry.bind("auditLog", audit);
        registry.bind("appCatalogue", apps);
        registry.bind("keysAndGrants", new KeysAndGrants(store, System::currentTimeMillis, audit));
        registry.bind("publishedTables", tables);
        registry.bind("referenceFunctions", new ReferenceFunctions(store, categories, tables));
        registry.bind("supervisorHttp", new SupervisorHttp(apps));
    }
}
