package org.elves.center.supervisor;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
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

    @BindToRegistry("auditLog")
    public AuditLog auditLog(@BeanInject("supervisorStore") SupervisorStore store) {
        return new AuditLog(store, System::currentTimeMillis);
    }

    @BindToRegistry("agentCategories")
    public AgentCategories agentCategories(@BeanInject("elvesConfig") ElvesConfig config) {
        return new AgentCategories(config);
    }

    @BindToRegistry("appCatalogue")
    public AppCatalogue appCatalogue(@BeanInject("supervisorStore") SupervisorStore store,
                                     @BeanInject("elvesConfig") ElvesConfig config,
                                     @BeanInject("agentCategories") AgentCategories categories,
                                     @BeanInject("auditLog") AuditLog audit) {
        return new AppCatalogue(store, config, System::currentTimeMillis, categories, audit);
    }

    @BindToRegistry("keysAndGrants")
    public KeysAndGrants keysAndGrants(@BeanInject("supervisorStore") SupervisorStore store,
                                       @BeanInject("auditLog") AuditLog audit) {
        return new KeysAndGrants(store, System::currentTimeMillis, audit);
    }

    @BindToRegistry("publishedTables")
    public PublishedTables publishedTables(@BeanInject("supervisorStore") SupervisorStore store,
                                           @BeanInject("elvesConfig") ElvesConfig config,
                                           @BeanInject("agentCategories") AgentCategories categories) {
        return new PublishedTables(store, config, categories);
    }

    @BindToRegistry("referenceFunctions")
    public ReferenceFunctions referenceFunctions(@BeanInject("supervisorStore") SupervisorStore store,
                                                 @BeanInject("agentCategories") AgentCategories categories,
                                                 @BeanInject("publishedTables") PublishedTables tables) {
        return new ReferenceFunctions(store, categories, tables);
    }

    @Override
    public void configure(CamelContext context) {
        // bound here, once the catalogue above is: @BindToRegistry methods run in no fixed order
        AppCatalogue apps = context.getRegistry().lookupByNameAndType("appCatalogue", AppCatalogue.class);
        context.getRegistry().bind("supervisorHttp", new SupervisorHttp(apps));
    }
}
