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

    @BindToRegistry("supervisorService")
    public SupervisorService supervisorService(@BeanInject("supervisorStore") SupervisorStore store,
                                               @BeanInject("elvesConfig") ElvesConfig config) {
        return new SupervisorService(store, config, System::currentTimeMillis);
    }

    @Override
    public void configure(CamelContext context) {
        // bound here, once the service above is: @BindToRegistry methods run in no fixed order
        SupervisorService service = context.getRegistry().lookupByNameAndType("supervisorService", SupervisorService.class);
        context.getRegistry().bind("supervisorHttp", new SupervisorHttp(service));
    }
}
