package org.elves.center.common;

import org.elves.center.contract.AsyncJob;
import org.elves.center.contract.AsyncJobBatch;
import org.elves.center.contract.ProcessorResult;
import org.elves.center.contract.TaskResult;
import org.elves.center.rpc.WatchTap;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a component tells the Watcher about a task as it goes (through {@link WatchTap}): the
 * phases of docs/api.md "Logs" with the log record's fields each one knows, named as the
 * reference's log tables. Cheap by design: a map and a buffer offer, no I/O on the caller's thread.
 */
public final class TaskEvents {
    private final WatchTap tap;
    private final String component;

    /** Tells nobody (unit tests, a component built without the tap). */
    public static TaskEvents none() {
        return new TaskEvents(WatchTap.off(), "");
    }

    public TaskEvents(WatchTap tap, String component) {
        this.tap = tap;
        this.component = component;
    }

    public void phase(String taskId, String phase, Map<String, ?> fields) {
        tap.event(component, taskId, phase, fields);
    }

    public void phase(String taskId, String phase, long atMs, Map<String, ?> fields) {
        tap.event(component, taskId, phase, atMs, fields);
    }

    /** A phase of the task this instruct is, with everything the instruct says. */
    public void instruct(String phase, Instruct ins) {
        if (ins != null) {
            tap.event(component, ins.getId(), phase, fieldsOf(ins));
        }
    }

    /**
     * The agent's result reached the Scheduler: the worker's outcome, and the worker process's
     * start and end on the agent's clock when the agent says them (ours does; an original does not).
     */
    public void finished(Reinstruct done, long sentAtMs) {
        if (done == null || done.getIns() == null) {
            return;
        }
        Instruct ins = done.getIns();
        Map<String, Object> fields = fieldsOf(ins);
        fields.putAll(outcome(done));
        if (sentAtMs > 0) {
            fields.put("agent_sync_costtime", System.currentTimeMillis() - sentAtMs);
        }
        if (done.isSetStartTime() && done.isSetEndTime()) {
            // the worker process's start and end on the agent (its clock), phases of their own told
            // with this one (one message); an original agent does not send them, its timelines lack the two
            fields.put("phases", Map.of("agent_started", done.getStartTime(), "agent_finished", done.getEndTime()));
        }
        tap.event(component, ins.getId(), "finished", fields);
    }

    /** The task ended without the agent running it: not sent, refused, lost ({@code error} the coded text). */
    public void failed(String taskId, String error, boolean timedOut) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("agent_sync_flag", 0);
        fields.put("agent_sync_error", error);
        fields.put("worker_flag", -1);
        fields.put("result_flag", 0);
        fields.put("state", timedOut ? "timed-out" : "failed");
        tap.event(component, taskId, "finished", fields);
    }

    /** An async result as an agent reported it (route scheduler.agent-result). */
    public void reported(Reinstruct done) {
        finished(done, 0);
    }

    /** The task records just stored (documents with the task id as {@code _id}). */
    public void storedRecords(java.util.List<Map<String, Object>> records) {
        for (Map<String, Object> r : records) {
            tap.event(component, String.valueOf(r.get("_id")), "stored", Map.of());
        }
    }

    /** A phase of an async job (AsyncJob body: a queue task handed to the Scheduler). */
    public void job(String phase, Map<String, Object> job) {
        AsyncJob j = AsyncJob.fromMap(job);
        tap.event(component, j.id(), phase, fieldsOf(j));
    }

    /**
     * The runs of a fired batch (AsyncJobBatch body) were accepted at their fire time: center
     * crons, asked by the key that made the cron ({@code authIdOf}: cron id → auth_id).
     */
    public void fired(Map<String, Object> batch, java.util.function.Function<String, String> authIdOf) {
        for (AsyncJob j : AsyncJobBatch.fromMap(batch).jobs()) {
            Map<String, Object> fields = fieldsOf(j);
            String cronId = j.id().split("@", 2)[0];
            fields.put("type", "cron");
            fields.put("cron_id", cronId);
            fields.put("auth_id", authIdOf.apply(cronId));
            tap.event(component, j.id(), "accepted", j.fireTime() == null ? System.currentTimeMillis() : j.fireTime(), fields);
        }
    }

    /**
     * The component that keeps the task's result recorded it ({@code fields}: what it knows of
     * the task); a result that says the worker never ran (a timeout the sweep found) ends the task.
     */
    public void stored(TaskResult result, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        if (!result.flag()) {
            all.put("agent_sync_error", result.error());
            all.put("result_flag", 0);
            all.put("state", String.valueOf(result.error()).contains("410.2") ? "timed-out" : "failed");
        } else {
            all.put("result_flag", "1".equals(result.workerFlag()) ? 1 : 0);
        }
        tap.event(component, result.id(), "stored", all);
    }

    /** The app's processor was given the result (ProcessorResult body). */
    public void processorCalled(Map<String, Object> processorResult) {
        ProcessorResult r = ProcessorResult.fromMap(processorResult);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("processor_sync_flag", r.delivered() ? 1 : 0);
        fields.put("processor_sync_error", r.error());
        fields.put("processor_sync_costtime", r.costMs());
        tap.event(component, r.id(), "processor_called", fields);
    }

    /** A task the Scheduler could not send (a TaskResult failure body). */
    public void notSent(Map<String, Object> failure) {
        TaskResult r = TaskResult.fromMap(failure);
        if (!r.isResendNote()) {
            failed(r.id(), r.error(), false);
        }
    }

    /** The worker's outcome as log fields and the state it means. */
    public static Map<String, Object> outcome(Reinstruct done) {
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean timedOut = "app exec timeout".equals(done.getResult());
        fields.put("agent_sync_flag", 1);
        fields.put("worker_flag", done.getFlag());
        fields.put("worker_message", done.getResult());
        fields.put("worker_costtime", done.getCosttime());
        fields.put("result_flag", done.getFlag() == 1 ? 1 : 0);
        fields.put("state", done.getFlag() == 1 ? "succeeded" : timedOut ? "timed-out" : "failed");
        return fields;
    }

    private static Map<String, Object> fieldsOf(AsyncJob j) {
        return fields(j.id(), j.type(), j.mode(), j.ip(), j.app(), j.func(), j.param(), j.timeout());
    }

    /** The record's fields of an instruct. */
    public static Map<String, Object> fieldsOf(Instruct ins) {
        return fields(ins.getId(), ins.getType(), ins.getMode(), ins.getIp(), ins.getApp(), ins.getFunc(),
                ins.getParam(), ins.getTimeout());
    }

    /**
     * A task's fields as the log record names them. A cron run's type is left to the Cron
     * component, the one that knows whether the center or the agent fired it (both runs say "cron").
     */
    private static Map<String, Object> fields(String id, String type, String mode, String ip, String app, String func,
                                              String param, Integer timeout) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!"cron".equals(type)) {
            fields.put("type", type);
        } else if (id != null) {
            fields.put("cron_id", id.split("@", 2)[0]);
        }
        fields.put("mode", mode);
        fields.put("agent_ip", ip);
        fields.put("instruct", app);
        fields.put("func", func);
        fields.put("param", param);
        fields.put("timeout", timeout);
        return fields;
    }
}
