package org.elves.center.example.notes;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.elves.config.ElvesConfig;

/** The notes component (docs/decisions.md 20): its beans, by the names its YAML routes use. */
public class NotesConfiguration implements CamelConfiguration {

    @BindToRegistry("notesService")
    public NotesService notesService(@BeanInject("elvesMongo") MongoClient mongo,
                                     @PropertyInject("elves.mongo.database") String database,
                                     @BeanInject("elvesConfig") ElvesConfig config) {
        return new NotesService(mongo, database, config);
    }
}
