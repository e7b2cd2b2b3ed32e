package org.elves.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSecureAndMatchTheOriginalPorts() {
        AgentSettings s = AgentSettings.defaults();
        assertEquals("127.0.0.1", s.ip());
        assertEquals("127.0.0.1", s.asset());
        assertEquals("0.0.0.0", s.bind());
        assertEquals(11101, s.port());
        assertEquals(List.of("127.0.0.1"), s.authips());
        assertFalse(s.allowsEveryone());
        assertEquals(new Endpoint("127.0.0.1", 11102), s.heartbeat());
        assertEquals(List.of(new Endpoint("127.0.0.1", 10101)), s.schedulers());
        assertEquals(10, s.heartbeatIntervalSeconds());
        assertEquals(1 << 20, s.outputMaxBytes());
        assertEquals("python3", s.python());
        assertFalse(s.framed());
    }

    @Test
    void ipFollowsASpecificBindAddressAndAssetFollowsIp() {
        AgentSettings s = AgentSettings.builder().bind("127.0.0.3").build();
        assertEquals("127.0.0.3", s.ip());
        assertEquals("127.0.0.3", s.asset());
        assertEquals("host-7", AgentSettings.builder().ip("10.0.0.7").asset("host-7").build().asset());
    }

    @Test
    void originalNestedCfgJsonLoads() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, """
                {
                  "asset": "web-01", "ip": "10.1.2.3", "port": 11111,
                  "authips": ["10.0.0.1", "10.0.0.2"],
                  "heartbeat": {"enabled": "false", "addr": "10.0.0.9", "port": 12000, "interval": 60, "timeout": 3},
                  "scheduler": {"addr": "10.0.0.8", "port": 10200, "timeout": 7},
                  "agentcron": {"enabled": true}, "http": {"enabled": true, "listen": ":19880"},
                  "apps": {"apptest": "2.0"},
                  "devmode": {"enabled": false, "authid": "1"},
                  "appsdir": "myapps", "worker": {"outputmax": 4096}
                }
                """);
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals("web-01", s.asset());
        assertEquals("10.1.2.3", s.ip());
        assertEquals(11111, s.port());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), s.authips());
        assertFalse(s.heartbeatEnabled());
        assertEquals(new Endpoint("10.0.0.9", 12000), s.heartbeat());
        assertEquals(60, s.heartbeatIntervalSeconds());
        assertEquals(3, s.heartbeatTimeoutSeconds());
        assertEquals(List.of(new Endpoint("10.0.0.8", 10200)), s.schedulers());
        assertEquals(7, s.schedulerTimeoutSeconds());
        assertEquals(Map.of("apptest", "2.0"), s.apps());
        assertEquals(dir.resolve("myapps").toAbsolutePath().normalize(), s.appsDir());
        assertEquals(4096, s.outputMaxBytes());
    }

    @Test
    void liveOutputIsOnByDefaultAndItsKeysLoadNestedOrFlat() throws Exception {
        assertEquals(200, AgentSettings.defaults().outputFlushMillis());
        assertEquals(256 * 1024, AgentSettings.defaults().outputMaxPendingBytes());
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"output\": {\"flush-ms\": 0}, \"output.max-pending-bytes\": 4096}");
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals(0, s.outputFlushMillis());
        assertEquals(4096, s.outputMaxPendingBytes());
    }

    @Test
    void flatDottedKeysAndASchedulerListLoad() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, """
                {"heartbeat.addr": "h", "heartbeat.port": 1, "scheduler.addrs": ["a:1", "b"],
                 "thrift.framed": true, "authips": "*", "iplist": ["1.2.3.4"]}
                """);
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals(new Endpoint("h", 1), s.heartbeat());
        assertEquals(List.of(new Endpoint("a", 1), new Endpoint("b", 10101)), s.schedulers());
        assertTrue(s.framed());
        assertTrue(s.allowsEveryone());
        assertEquals(List.of("1.2.3.4"), s.ipList());
    }

    @Test
    void aHeartbeatListAndItsBackoffCapLoad() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, """
                {"heartbeat": {"addrs": ["hb1:11102", "hb2"], "addr": "ignored", "backoffmax": 120}}
                """);
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals(List.of(new Endpoint("hb1", 11102), new Endpoint("hb2", 11102)), s.heartbeats());
        assertEquals(new Endpoint("hb1", 11102), s.heartbeat());
        assertEquals(120, s.heartbeatBackoffMaxSeconds());
        assertEquals(0, AgentSettings.defaults().heartbeatBackoffMaxSeconds(), "0: the interval");
    }

    @Test
    void emptyAuthipsMeansLoopbackOnlyNotEveryone() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"authips\": []}");
        assertEquals(List.of("127.0.0.1"), ConfigFile.load(cfg).build().authips());
    }

    @Test
    void wrongTypesAndBrokenFilesAreNamedInTheError() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"port\": \"eleven\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg));
        assertTrue(e.getMessage().contains("'port' must be an integer"), e.getMessage());
        Files.writeString(cfg, "{not json");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg));
        assertTrue(e.getMessage().startsWith("cannot read agent config " + cfg), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ConfigFile.load(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.builder().port(70000).build());
        assertEquals("agent settings: port 70000 is outside 0..65535", range.getMessage());
    }

    @Test
    void endpointsParse() {
        assertEquals(new Endpoint("10.0.0.1", 99), Endpoint.parse("10.0.0.1:99", 1));
        assertEquals(new Endpoint("host", 7), Endpoint.parse("host", 7));
        assertEquals(new Endpoint("::1", 5), Endpoint.parse("[::1]:5", 1));
        assertEquals("[::1]:5", new Endpoint("::1", 5).toString());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:x", 1));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:0", 1));
    }

    @Test
    void ipRangesExpand() {
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), IpRanges.expand("127.0.0.2-127.0.0.4"));
        assertEquals(100, IpRanges.expand("127.0.0.2-127.0.0.101").size());
        assertEquals(List.of("10.0.0.255", "10.0.1.0", "10.0.0.7"), IpRanges.expand("10.0.0.255-10.0.1.0, 10.0.0.7,10.0.0.7"));
        assertThrows(IllegalArgumentException.class, () -> IpRanges.expand("127.0.0.5-127.0.0.4"));
        assertThrows(IllegalArgumentException.class, () -> IpRanges.expand("127.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> IpRanges.expand("localhost"));
        assertThrows(IllegalArgumentException.class, () -> IpRanges.expand("10.0.0.0-10.255.255.255"));
    }
}
