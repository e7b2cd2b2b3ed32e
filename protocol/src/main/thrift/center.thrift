// Center-internal structures, between instances of a component (no agent, app or SDK sees these,
// so they are kept out of elves.thrift, which the SDKs are generated from). Regenerated with
// protocol/regenerate.sh with the rest.

include "elves.thrift"

namespace java org.elves.protocol.thrift

// Between Heartbeat instances: the beats one instance received, published to every instance so
// that each answers for every agent (docs/decisions.md 23).
struct SharedBeat {
  1: elves.AgentInfo info,
  2: i64 lastSeen,    // when a Heartbeat received the agent's last beat, ms since the epoch
  3: i64 firstSeen    // its first beat seen by any Heartbeat, ms since the epoch
}

struct SharedBeats {
  1: string sender,            // the sending Heartbeat instance
  2: list<SharedBeat> beats,
  3: optional bool askAll      // a Heartbeat just started: every other instance shares all it knows
}
