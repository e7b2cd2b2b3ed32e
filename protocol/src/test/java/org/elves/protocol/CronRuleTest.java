package org.elves.protocol;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronRuleTest {
    @Test
    void everyTenSecondsFiresOnTheTens() {
        CronRule rule = CronRule.parse("0/10 * * * * ?", null);
        assertEquals(Instant.parse("2026-01-01T00:00:10Z"), rule.nextAfter(Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals(Instant.parse("2026-01-01T00:00:10Z"), rule.nextAfter(Instant.parse("2026-01-01T00:00:09.999Z")));
    }

    @Test
    void timeZoneShiftsDailyRules() {
        CronRule berlin = CronRule.parse("0 0 8 * * ?", "Europe/Berlin");
        assertEquals(ZoneId.of("Europe/Berlin"), berlin.zone());
        // 08:00 in Berlin in January is 07:00 UTC
        assertEquals(Instant.parse("2026-01-02T07:00:00Z"), berlin.nextAfter(Instant.parse("2026-01-01T12:00:00Z")));
    }

    @Test
    void badRuleIsRefusedWithItsCode() {
        ElvesException e = assertThrows(ElvesException.class, () -> CronRule.parse("every day", null));
        assertEquals(ErrorCode.PARAM_CRON_RULE, e.code());
        assertEquals(ErrorCode.PARAM_CRON_RULE, assertThrows(ElvesException.class, () -> CronRule.parse(" ", null)).code());
        // day-of-month and day-of-week both given: Quartz refuses it
        assertEquals(ErrorCode.PARAM_CRON_RULE, assertThrows(ElvesException.class, () -> CronRule.parse("0 0 8 1 * MON", null)).code());
    }

    @Test
    void unknownZoneIsRefusedWithItsCode() {
        assertEquals(ErrorCode.PARAM_TIMEZONE, assertThrows(ElvesException.class, () -> CronRule.parse("* * * * * ?", "Mars/Olympus")).code());
    }

    @Test
    void latestBetweenIsTheLastMissedFireTime() {
        CronRule rule = CronRule.parse("0/5 * * * * ?", "UTC");
        assertEquals(Instant.parse("2026-01-01T00:00:25Z"),
                rule.latestBetween(Instant.parse("2026-01-01T00:00:05Z"), Instant.parse("2026-01-01T00:00:27Z")));
        assertNull(rule.latestBetween(Instant.parse("2026-01-01T00:00:05Z"), Instant.parse("2026-01-01T00:00:09Z")));
    }

    @Test
    void runIdNamesCronAndFireTime() {
        Instant fire = Instant.parse("2026-01-01T00:00:25Z");
        String id = CronRunId.of("2AD6AF3B2E5D4C2E", fire);
        assertTrue(id.startsWith("2AD6AF3B2E5D4C2E@"));
        assertEquals(new CronRunId("2AD6AF3B2E5D4C2E", fire), CronRunId.parse(id));
        assertNull(CronRunId.parse("2AD6AF3B2E5D4C2E"));
        assertNull(CronRunId.parse("X@notanumber"));
    }
}
