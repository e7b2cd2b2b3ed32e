package org.elves.center;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComponentTest {

    @Test
    void namesAreParsedInOrderWithoutRepeats() {
        assertEquals(List.of(Component.SCHEDULER, Component.OPENAPI), Component.parse("scheduler, openapi,scheduler"));
        assertEquals(List.of(Component.values()), Component.parse("all"));
    }

    @Test
    void anUnknownOrEmptySelectionIsRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Component.parse("scheduler,shedule"));
        assertTrue(e.getMessage().contains("shedule") && e.getMessage().contains("heartbeat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Component.parse(" , "));
    }
}
