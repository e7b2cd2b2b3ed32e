package org.elves.center.scheduler;

import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.thrift.AppService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processor lookup and the delivery over Thrift, against a real in-test AppService server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessorDeliveryTest {
    private final BlockingQueue<Reinstruct> received = new LinkedBlockingQueue<>();
    private ElvesConfig config;
    private TServer server;
    private Thread serving;

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.stop();
            serving.join(5000);
        }
        if (config != null) {
            config.close();
        }
    }

    private ProcessorDelivery delivery(Map<String, String> settings) {
        config = Center.configFor(List.of(Component.SCHEDULER)).overrides(settings).build();
        return new ProcessorDelivery(new ProcessorRegistry(config), config);
    }

    /** An AppService on a free port; its answer is what {@code answer} returns. */
    private int startProcessor(AppService.Iface handler) throws Exception {
        TServerSocket socket = new TServerSocket(new InetSocketAddress("127.0.0.1", 0));
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(new AppService.Processor<>(handler)).protocolFactory(new TBinaryProtocol.Factory()));
        serving = new Thread(server::serve, "test-processor");
        serving.setDaemon(true);
        serving.start();
        while (!server.isServing()) {
            Thread.sleep(5);
        }
        return socket.getServerSocket().getLocalPort();
    }

    private static Reinstruct result(String app, String mode) {
        Instruct ins = new Instruct("0123456789ABCDEF", "127.0.0.71", "queue", mode, app, "helloword", "{\"my\":1}", 30, "");
        return new Reinstruct(ins, 1, 42, "hello");
    }

    @Test
    void theRegistryReadsHostPortPerAppAndRefusesNonsense() {
        config = Center.configFor(List.of(Component.SCHEDULER)).overrides(Map.of(
                "elves.processor.apptest", " 127.0.0.1:10010 ", "elves.processor.bad", "nohost",
                "elves.processor.v6", "[::1]:99", "elves.processor.noport", "h:99999")).build();
        ProcessorRegistry registry = new ProcessorRegistry(config);
        assertEquals(new ProcessorRegistry.Address("127.0.0.1", 10010), registry.find("apptest"));
        assertEquals(new ProcessorRegistry.Address("::1", 99), registry.find("v6"));
        assertNull(registry.find("other"));
        assertNull(registry.find(""));
        assertEquals("elves.processor.bad must be host:port, got 'nohost'",
                assertThrows(IllegalArgumentException.class, () -> registry.find("bad")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.find("noport"));
    }

    @Test
    void deliversTheWholeResultAndReportsSuccessWithItsTime() throws Exception {
        int port = startProcessor(reins -> {
            received.add(reins);
            return "success";
        });
        ProcessorDelivery delivery = delivery(Map.of("elves.processor.apptest", "127.0.0.1:" + port));
        Reinstruct sent = result("apptest", "P");
        Map<String, Object> outcome = delivery.deliver(sent);
        assertEquals(sent, received.poll(5, TimeUnit.SECONDS), "agent ip, flag, costtime and message, the full instruct");
        assertEquals("0123456789ABCDEF", outcome.get("id"));
        assertEquals("true", outcome.get("processor_flag"));
        assertEquals("", outcome.get("processor_error"));
        assertTrue(Long.parseLong((String) outcome.get("processor_costtime")) >= 0);
    }

    @Test
    void anUnregisteredAppIsNotDeliveredAndSaysWhy() {
        Map<String, Object> outcome = delivery(Map.of()).deliver(result("nobody", "P"));
        assertEquals(Map.of("id", "0123456789ABCDEF", "processor_flag", "false",
                "processor_error", "no processor registered for nobody", "processor_costtime", "0"), outcome);
    }

    @Test
    void anUnreachableProcessorOrAnOddAnswerIsAFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, Object> unreachable = delivery(Map.of("elves.processor.apptest", "127.0.0.1:" + closed,
                "elves.scheduler.processor.timeout-ms", "500")).deliver(result("apptest", "P"));
        assertEquals("false", unreachable.get("processor_flag"));
        assertTrue(((String) unreachable.get("processor_error")).startsWith("processor 127.0.0.1:" + closed + " not reached: "),
                String.valueOf(unreachable.get("processor_error")));
        config.close();

        int port = startProcessor(reins -> "busy");
        Map<String, Object> odd = delivery(Map.of("elves.processor.apptest", "127.0.0.1:" + port)).deliver(result("apptest", "P"));
        assertEquals("false", odd.get("processor_flag"));
        assertEquals("processor 127.0.0.1:" + port + " answered 'busy'", odd.get("processor_error"));
    }

    @Test
    void aSlowProcessorTimesOutAndIsCalledOnce() throws Exception {
        int port = startProcessor(reins -> {
            received.add(reins);
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "success";
        });
        long t0 = System.nanoTime();
        Map<String, Object> outcome = delivery(Map.of("elves.processor.apptest", "127.0.0.1:" + port,
                "elves.scheduler.processor.timeout-ms", "300")).deliver(result("apptest", "P"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1500, "the timeout holds: " + ms + " ms");
        assertEquals("false", outcome.get("processor_flag"));
        assertTrue(((String) outcome.get("processor_error")).contains("not reached"), String.valueOf(outcome.get("processor_error")));
        Thread.sleep(300);
        assertEquals(1, received.size(), "a call that was sent is never repeated");
    }
}
