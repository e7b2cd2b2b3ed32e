// Elves wire protocol. Field ids and types are what the original Elves speaks (reference §5);
// fields added here are optional with new ids, so original agents and ours stay interchangeable.
// Regenerate the Java code (protocol/src/generated/java) with protocol/regenerate.sh (Debian's
// thrift-compiler 0.17).

namespace java org.elves.protocol.thrift

struct Instruct {
  1: string id,       // 16-hex task/cron id
  2: string ip,       // agent IP
  3: string type,     // "rt" | "queue" | "cron"
  4: string mode,     // "P" | "NP"
  5: string app,      // app instruct
  6: string func,     // app method
  7: string param,    // JSON text
  8: i32    timeout,  // seconds; 0 = no limit on the agent
  9: string proxy     // custom worker entry ("" = default)
}

struct Reinstruct {   // field id 2 is unused in every version of the original
  1: Instruct ins,
  3: i32    flag,     // 1 worker said true; 0 worker said false; -1 system error
  4: i32    costtime, // worker run time, ms
  5: string result,   // worker result text
  6: optional i64 startTime,  // ours: worker process start, ms since the epoch (agent clock)
  7: optional i64 endTime     // ours: worker process end, ms since the epoch (agent clock)
}

// ours: a piece of a running worker's output, streamed by the agent while the worker runs
struct OutputChunk {
  1: string id,               // task id (Instruct.id)
  2: i32    seq,              // 1, 2, 3... per task, over both streams
  3: string stream,           // "stdout" | "stderr"
  4: string data,             // UTF-8 text, secrets masked by the agent
  5: i64    at,               // when the agent read it, ms since the epoch (agent clock)
  6: optional i64 dropped     // bytes the agent left out before this chunk (its backlog bound)
}

struct AgentInfo {
  1: string id,               // agent asset/alias
  2: string ip,               // agent IP, its identity in the center
  3: string version,          // agent software version
  4: string apps,             // JSON text {"app":"version",...}
  5: optional string type,    // agent implementation, e.g. "java"
  6: optional i64 startTime,  // agent start, ms since the epoch
  7: optional list<string> ipList,  // every address of the machine
  8: optional i32 interval,   // the agent's heartbeat period, seconds
  9: optional i32 port,       // the agent's Thrift port (the original assumes one port for all)
  10: optional string appStatus  // JSON {"app":{"version","state","error"}}: how distributed apps
                                 // fared (state installed | downloading | failed)
}

service AgentService {
  string           aliveCheck(),
  list<Reinstruct> instructionInvokeAsync(1: list<Instruct> insList),
  Reinstruct       instructionInvokeSync(1: Instruct ins),
  // ours, optional: kills the running workers of these task ids and answers the ids it killed
  // (their results, flag -1 "app exec cancelled", come through dataTransport as usual); an
  // original agent answers TApplicationException UNKNOWN_METHOD, which a caller treats as
  // "this agent cannot cancel"
  list<string>     instructionCancel(1: list<string> ids),
  // ours, optional: replaces the agent's agent-side crons (AANP/AAP) with this list, JSON text
  // {"version":"...","crons":[{"id","app","func","param","timeout","proxy","mode","rule",
  // "timezone"}]}; answers the version the agent now holds. The same object comes as "crons" in
  // heartbeat answers. An original agent answers UNKNOWN_METHOD: it has no center-managed crons.
  string           cronSync(1: string crons)
}

service SchedulerService {
  string     aliveCheck(),
  string     dataTransport(1: Reinstruct reins),
  Reinstruct instructionTransit(1: Instruct ins),
  // ours, optional: live output of running workers, answers "success"; an original scheduler
  // answers TApplicationException UNKNOWN_METHOD, after which the agent streams no more to it
  string     outputTransport(1: list<OutputChunk> chunks)
}

service HeartbeatService {
  string heartbeatPackage(1: AgentInfo info)
}

service AppService {
  string runProcessor(1: Reinstruct reins)
}

