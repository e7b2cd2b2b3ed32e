package org.elves.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON envelope of every RabbitMQ message between components (reference §6.2, design §2):
 * {@code {"mqkey":"from.to.func[.id]","mqtype":"call|cast","mqbody":{...}}}; replies carry
 * {@code mqflag} ("true"/"false": did the receiver handle it) and {@code mqerror}.
 */
public final class Envelope {
    public static final String CALL = "call";
    public static final String CAST = "cast";
    public static final String REPLY = "reply";

    private final String mqkey;
    private final String mqtype;
    private final Map<String, Object> mqbody;
    private final String mqflag;
    private final String mqerror;

    private Envelope(String mqkey, String mqtype, Map<String, Object> mqbody, String mqflag, String mqerror) {
        this.mqkey = mqkey;
        this.mqtype = mqtype;
        this.mqbody = mqbody == null ? new LinkedHashMap<>() : mqbody;
        this.mqflag = mqflag;
        this.mqerror = mqerror;
    }

    public static Envelope call(String from, String to, String func, Map<String, Object> body) {
        return new Envelope(key(from, to, func), CALL, body, null, null);
    }

    public static Envelope cast(String from, String to, String func, Map<String, Object> body) {
        return new Envelope(key(from, to, func), CAST, body, null, null);
    }

    /** The answer to this request: mqkey reversed ({@code to.from.func.id}), mqflag "true". */
    public Envelope reply(Map<String, Object> body) {
        return new Envelope(replyKey(), REPLY, body, "true", "");
    }

    /** The answer when the receiver could not handle the request at all. */
    public Envelope failure(String error) {
        return new Envelope(replyKey(), REPLY, null, "false", error);
    }

    /** The routing key: {@code from.to.func}; components bind {@code *.<component>.#}. */
    public String routingKey() {
        String[] p = parts();
        return p[0] + "." + p[1] + "." + p[2];
    }

    public String from() {
        return parts()[0];
    }

    public String to() {
        return parts()[1];
    }

    public String func() {
        return parts()[2];
    }

    public String id() {
        String[] p = parts();
        return p.length > 3 ? p[3] : "";
    }

    public String mqkey() {
        return mqkey;
    }

    public String mqtype() {
        return mqtype;
    }

    public Map<String, Object> body() {
        return mqbody;
    }

    public boolean ok() {
        return !"false".equals(mqflag);
    }

    public String error() {
        return mqerror == null ? "" : mqerror;
    }

    public byte[] toBytes() {
        Map<String, Object> json = new LinkedHashMap<>(6);
        json.put("mqkey", mqkey);
        json.put("mqtype", mqtype);
        json.put("mqbody", mqbody);
        if (mqflag != null) {
            json.put("mqflag", mqflag);
            json.put("mqerror", mqerror == null ? "" : mqerror);
        }
        return Json.bytes(json);
    }

    /** A request (call or cast); anything malformed is refused with IllegalArgumentException. */
    public static Envelope parseRequest(byte[] json) {
        Envelope e = parse(json);
        if (!CALL.equals(e.mqtype) && !CAST.equals(e.mqtype)) {
            throw new IllegalArgumentException("mqtype must be call or cast, got " + e.mqtype);
        }
        return e;
    }

    /** A reply as made by {@link #reply} or {@link #failure}. */
    public static Envelope parseReply(byte[] json) {
        return parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Envelope parse(byte[] json) {
        Map<String, Object> m = Json.object(json);
        Object key = m.get("mqkey");
        if (!(key instanceof String k) || k.split("\\.").length < 3) {
            throw new IllegalArgumentException("mqkey must be from.to.func, got " + key);
        }
        Object body = m.get("mqbody");
        if (body != null && !(body instanceof Map)) {
            throw new IllegalArgumentException("mqbody must be a JSON object");
        }
        return new Envelope(k, String.valueOf(m.get("mqtype")), (Map<String, Object>) body,
                m.get("mqflag") == null ? null : String.valueOf(m.get("mqflag")),
                m.get("mqerror") == null ? null : String.valueOf(m.get("mqerror")));
    }

    private String replyKey() {
        String[] p = parts();
        String id = p.length > 3 ? "." + p[3] : "";
        return p[1] + "." + p[0] + "." + p[2] + id;
    }

    private String[] parts() {
        return mqkey.split("\\.", 4);
    }

    private static String key(String from, String to, String func) {
        return from + "." + to + "." + func + "." + TaskIds.next();
    }

    @Override
    public String toString() {
        return new String(toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
