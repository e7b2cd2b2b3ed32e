package org.elves.agent.state;

import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the agent's state files spell an Instruct and a Reinstruct: plain JSON objects, field names as in Thrift. */
public final class InstructJson {
    private InstructJson() {
    }

    public static Map<String, Object> toJson(Instruct i) {
        Map<String, Object> ins = new LinkedHashMap<>();
        ins.put("id", i.getId());
        ins.put("ip", i.getIp());
        ins.put("type", i.getType());
        ins.put("mode", i.getMode());
        ins.put("app", i.getApp());
        ins.put("func", i.getFunc());
        ins.put("param", i.getParam());
        ins.put("timeout", i.getTimeout());
        ins.put("proxy", i.getProxy());
        return ins;
    }

    public static Instruct instruct(Map<?, ?> i) {
        return new Instruct(str(i.get("id")), str(i.get("ip")), str(i.get("type")), str(i.get("mode")),
                str(i.get("app")), str(i.get("func")), str(i.get("param")), num(i.get("timeout")), str(i.get("proxy")));
    }

    public static Map<String, Object> toJson(Reinstruct r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r.getIns() != null) {
            m.put("ins", toJson(r.getIns()));
        }
        m.put("flag", r.getFlag());
        m.put("costtime", r.getCosttime());
        m.put("result", r.getResult());
        if (r.isSetStartTime()) {
            m.put("startTime", r.getStartTime());
        }
        if (r.isSetEndTime()) {
            m.put("endTime", r.getEndTime());
        }
        return m;
    }

    public static Reinstruct reinstruct(Object root) throws IOException {
        if (!(root instanceof Map)) {
            throw new IOException("not a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        Reinstruct r = new Reinstruct();
        if (m.get("ins") instanceof Map) {
            r.setIns(instruct((Map<?, ?>) m.get("ins")));
        }
        r.setFlag(num(m.get("flag")));
        r.setCosttime(num(m.get("costtime")));
        r.setResult(str(m.get("result")));
        if (m.get("startTime") instanceof Number) {
            r.setStartTime(longNum(m.get("startTime")));
        }
        if (m.get("endTime") instanceof Number) {
            r.setEndTime(longNum(m.get("endTime")));
        }
        return r;
    }

    public static String str(Object v) {
        return v == null ? null : v.toString();
    }

    public static int num(Object v) {
        return v instanceof Number ? ((Number) v).intValue() : 0;
    }

    public static long longNum(Object v) {
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }
}
