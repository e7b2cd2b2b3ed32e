package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.protocol.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text of cron info and cron list, from the API's shapes (reference and ours). */
class CronTextTest {
    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void detailOfTheReferenceShapeWithNumbersAndANestedLastResult() {
        JsonNode d = parse("""
                {"ip":"127.0.0.1","app":"apptest","func":"hello","param":"","mode":"NP","proxy":"",
                 "timeout":90,"rule":"0/5 * * * * ?","cron_flag":0,"last_exec_time":"2017-05-30 10:05:01",
                 "last_exec_result":{"flag":"true","error":"",
                   "result":{"worker_flag":"1","worker_message":"hello word!\\nmore","worker_costtime":"100"}}}""");
        List<String> lines = CronText.detail("A49B1E8FA1B43BC5", d, 120);
        assertEquals(List.of(
                "cron        A49B1E8FA1B43BC5",
                "task        apptest.hello on 127.0.0.1",
                "param       -",
                "mode        NP, timeout 90 s",
                "rule        0/5 * * * * ?",
                "zone        UTC",
                "side        -",
                "state       paused",
                "next fire   -",
                "last fire   2017-05-30 10:05:01",
                "last result ok, 100 ms: hello word! (+1 lines)"), lines);
    }

    @Test
    void detailWithOurFieldsAndHistory() {
        JsonNode d = parse("""
                {"id":"A49B1E8FA1B43BC5","ip":"127.0.0.2","app":"apptest","func":"f","param":"{\\"a\\":1}",
                 "mode":"P","proxy":"python3","timeout":30,"rule":"0 0 3 * * ?","timezone":"Asia/Shanghai",
                 "side":"agent","cron_flag":1,"next_fire_time":"2030-01-02 03:00:00","last_exec_time":"",
                 "create_time":"2030-01-01 00:00:00",
                 "history":[
                   {"id":"A49B1E8FA1B43BC5@1893466800","flag":"true","error":"",
                    "worker_flag":0,"worker_message":"disk full","worker_costtime":12},
                   {"id":"A49B1E8FA1B43BC5@1893380400","flag":"false","error":"[410.1]Send Job To Agent Fail"}]}""");
        List<String> lines = CronText.detail("A49B1E8FA1B43BC5", d, 200);
        assertTrue(lines.contains("param       {\"a\":1}"), lines::toString);
        assertTrue(lines.contains("mode        P, timeout 30 s, proxy python3"), lines::toString);
        assertTrue(lines.contains("zone        Asia/Shanghai"), lines::toString);
        assertTrue(lines.contains("side        agent"), lines::toString);
        assertTrue(lines.contains("state       running"), lines::toString);
        assertTrue(lines.contains("last result -"), lines::toString);
        assertTrue(lines.contains("created     2030-01-01 00:00:00"), lines::toString);
        assertTrue(lines.contains("history (2 recent runs)"), lines::toString);
        assertTrue(lines.contains("  A49B1E8FA1B43BC5@1893466800  failed (worker_flag 0), 12 ms: disk full"), lines::toString);
        assertTrue(lines.contains("  A49B1E8FA1B43BC5@1893380400  not delivered: [410.1]Send Job To Agent Fail"), lines::toString);
    }

    @Test
    void tableHasAHeaderOneLinePerCronAndTheCountCutToTheTerminal() {
        JsonNode crons = parse("""
                [{"id":"B39B1E8FA1B43BA4","app":"apptest","func":"helloword","mode":"NP","rule":"0/5 * * * * ?",
                  "timezone":"UTC","side":"center","cron_flag":1,"next_fire_time":"2030-01-01 00:00:05",
                  "last_exec_time":"2030-01-01 00:00:00"},
                 {"id":"A49B1E8FA1B43BC5"}]""");
        List<String> lines = CronText.table("127.0.0.2", crons, 200);
        assertEquals(4, lines.size(), lines::toString);
        assertEquals(List.of("ID", "APP", "FUNC", "MODE", "SIDE", "RULE", "STATE", "NEXT", "FIRE", "LAST", "EXEC"),
                List.of(lines.get(0).split("\\s+")));
        assertEquals("B39B1E8FA1B43BA4  apptest       helloword     NP    center  0/5 * * * * ?     running  "
                + "2030-01-01 00:00:05  2030-01-01 00:00:00", lines.get(1));
        assertTrue(lines.get(2).startsWith("A49B1E8FA1B43BC5  -             -             -     -       -"), lines.get(2));
        assertEquals("2 crons for 127.0.0.2", lines.get(3));

        for (String line : CronText.table("127.0.0.2", crons, 60)) {
            assertTrue(line.length() <= 60, line);
        }
        assertEquals(List.of("no crons for 127.0.0.2"), CronText.table("127.0.0.2", parse("[]"), 80));
    }

    @Test
    void stateReadsNumbersBooleansAndNewerWords() {
        assertEquals("running", CronText.state(parse("{\"cron_flag\":1}")));
        assertEquals("paused", CronText.state(parse("{\"cron_flag\":\"0\"}")));
        assertEquals("paused", CronText.state(parse("{\"cron_flag\":false}")));
        assertEquals("-", CronText.state(parse("{}")));
        assertEquals("expired", CronText.state(parse("{\"state\":\"expired\"}")));
    }
}
