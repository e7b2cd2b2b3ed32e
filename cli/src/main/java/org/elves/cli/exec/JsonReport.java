package org.elves.cli.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.protocol.Json;

import java.io.PrintWriter;
import java.util.List;

/**
 * One JSON document on stdout for all hosts, in the order given:
 * {@code {"results":[{"ip","status","flag","error","id","worker_flag","worker_message",
 * "worker_costtime"}...],"summary":{"hosts","ok","failed","no_answer"}}}. Every key is always
 * present (null when it does not apply), so consumers need no existence checks.
 */
final class JsonReport implements ExecReport {
    private final PrintWriter out;

    JsonReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onResult(HostResult result) {
        // a JSON document is only complete at the end
    }

    @Override
    public void finish(List<HostResult> results) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        ArrayNode array = doc.putArray("results");
        for (HostResult r : results) {
            ObjectNode o = array.addObject();
            o.put("ip", r.ip());
            o.put("status", r.kind().status());
            o.put("flag", r.flag());
            o.put("error", r.error());
            o.put("id", r.taskId());
            o.put("worker_flag", r.workerFlag());
            o.put("worker_message", r.workerMessage());
            o.put("worker_costtime", r.workerCostMillis());
        }
        Summary s = Summary.of(results);
        ObjectNode summary = doc.putObject("summary");
        summary.put("hosts", s.hosts());
        summary.put("ok", s.ok());
        summary.put("failed", s.failed());
        summary.put("no_answer", s.noAnswer());
        try {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
        out.flush();
    }
}
