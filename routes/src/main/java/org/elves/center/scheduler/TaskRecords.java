package org.elves.center.scheduler;

import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Task documents for MongoDB (collection {@code tasks}): one document per task with its final
 * state: succeeded, failed or timed-out (design §4).
 */
public class TaskRecords {

    public Map<String, Object> realtime(Instruct ins, Reinstruct done, Map<String, Object> answer,
                                        long createdMs, long finishedMs) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", ins.getId());
        doc.put("type", ins.getType());
        doc.put("mode", ins.getMode());
        doc.put("ip", ins.getIp());
        doc.put("app", ins.getApp());
        doc.put("func", ins.getFunc());
        doc.put("param", ins.getParam());
        doc.put("timeout", ins.getTimeout());
        doc.put("proxy", ins.getProxy());
        doc.put("state", state(done, answer));
        doc.put("flag", answer.get("flag"));
        doc.put("error", answer.get("error"));
        if (done != null) {
            doc.put("worker_flag", done.getFlag());
            doc.put("worker_message", done.getResult());
            doc.put("worker_costtime", done.getCosttime());
        }
        doc.put("created_at", new Date(createdMs));
        doc.put("finished_at", new Date(finishedMs));
        return doc;
    }

    static String state(Reinstruct done, Map<String, Object> answer) {
        if (done == null) {
            ErrorCode code = ErrorCode.ofText(String.valueOf(answer.get("error")));
            return code == ErrorCode.AGENT_ANSWER_TIMEOUT ? "timed-out" : "failed";
        }
        if (done.getFlag() == 1) {
            return "succeeded";
        }
        return "app exec timeout".equals(done.getResult()) ? "timed-out" : "failed";
    }
}
