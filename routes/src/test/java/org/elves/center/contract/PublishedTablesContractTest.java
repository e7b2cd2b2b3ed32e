package org.elves.center.contract;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublishedTablesContractTest {
    private static final Map<String, Object> APPTEST = Map.of("app", "apptest", "version", "1.0", "sha256", "ab",
            "size", 10, "url", "http://127.0.0.1:9091/packages/apptest/1.0", "agents", List.of("127.0.0.0/24"));

    @Test
    void deploymentsReadBackAsThemselvesAndKeepTheManagedOrderOnTheWire() {
        Deployments table = new Deployments(List.of(APPTEST), new LinkedHashSet<>(List.of("apptest", "other")));
        assertEquals(Map.of("apps", List.of(APPTEST), "managed", List.of("apptest", "other")), table.toMap());
        assertEquals(table, Deployments.fromMap(table.toMap()));
    }

    @Test
    void aDeployedAppIsManagedEvenWithoutAManagedListAndGoesOnlyToItsAgents() {
        Deployments table = Deployments.fromMap(Map.of("apps", List.of(APPTEST)));
        assertEquals(Set.of("apptest"), table.managed());
        assertEquals(Map.of("apptest", Map.of("version", "1.0", "url", "http://127.0.0.1:9091/packages/apptest/1.0",
                "sha256", "ab", "size", 10)), table.packagesFor("127.0.0.7"));
        assertEquals(Map.of(), table.packagesFor("10.0.0.1"));
        assertEquals(new Deployments(List.of(), Set.of()), Deployments.fromMap(Map.of()));
    }

    @Test
    void aProcessorTableReadsBackAsItselfAndNoneIsEmpty() {
        ProcessorTable table = new ProcessorTable(Map.of("apptest", "127.0.0.1:10010"));
        assertEquals(Map.of("processors", Map.of("apptest", "127.0.0.1:10010")), table.toMap());
        assertEquals(table, ProcessorTable.fromMap(table.toMap()));
        assertEquals(Map.of(), ProcessorTable.fromMap(Map.of()).processors());
    }
}
