package org.elves.center.cron;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A Cron store on a real in-memory MongoDB server, through the real driver, with a settable clock. */
final class CronTestStore implements AutoCloseable {
    final MongoServer server = new MongoServer(new MemoryBackend());
    final MongoClient client;
    final ElvesConfig config;
    final CronStore store;
    final AtomicLong now = new AtomicLong(1_767_225_600_000L); // 2026-01-01T00:00:00Z

    CronTestStore(Map<String, String> settings) {
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        config = Center.configFor(List.of(Component.CRON)).overrides(settings).build();
        store = new CronStore(client, "elves");
        store.ensureIndexes();
    }

    CronManagement management() {
        return new CronManagement(store, config, now::get);
    }

    CronRuns runs() {
        return new CronRuns(store, config, now::get);
    }

    CronFiring firing() {
        return new CronFiring(store, config, now::get);
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
        config.close();
    }
}
