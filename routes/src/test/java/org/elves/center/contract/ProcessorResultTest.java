package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessorResultTest {

    @Test
    void theOutcomeTravelsAsTextAndReadsBackAsItself() {
        ProcessorResult result = new ProcessorResult("t1", false, "processor answered 'no'", 12);
        assertEquals(Map.of("id", "t1", "processor_flag", "false", "processor_error", "processor answered 'no'",
                "processor_costtime", "12"), result.toMap());
        assertEquals(result, ProcessorResult.fromMap(result.toMap()));
        assertEquals(Map.of("processor_flag", "false", "processor_error", "processor answered 'no'",
                "processor_costtime", "12"), result.outcome());
    }

    @Test
    void aResultWithoutTaskOrWithABadCostIsRefused() {
        assertTrue(assertThrows(ElvesException.class, () -> ProcessorResult.fromMap(Map.of("processor_flag", "true")))
                .getMessage().startsWith("[400.1]"));
        assertThrows(ElvesException.class, () -> ProcessorResult.fromMap(Map.of("id", "t1", "processor_costtime", "soon")));
    }
}
