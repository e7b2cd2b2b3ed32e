package org.elves.center.scheduler;

import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TSimpleServer;
import org.apache.thrift.transport.TServerSocket;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.contract.AsyncJob;
import org.elves.center.contract.TaskResult;
import org.elves.center.rpc.RetryLater;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncJobsTest {
    private final ElvesConfig config = Center.configFor(List.of(Component.SCHEDULER)).build();
    private final AgentClient agents = new AgentClient(1000, 2);
    private final OnlineCheck check = new OnlineCheck(config, new OnlineCache(System::currentTimeMillis, () -> 0), System::currentTimeMillis);
    private final AsyncJobs jobs = new AsyncJobs(agents, config, check);
    private final TaskCancels cancels = new TaskCancels(agents, config, check);
    private TServer agent;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.stop();
        }
        agents.close();
        config.close();
    }

    private static Map<String, Object> job() {
        Map<String, Object> body = new HashMap<>();
        body.put("id", "0123456789abcdef");
        body.put("ip", "127.0.0.1");
        body.put("type", "queue");
        body.put("app", "apptest");
        body.put("func", "helloword");
        body.put("param", "{\"my\":\"x\"}");
        return body;
    }

    private static Map<String, Object> online(int port) {
        return Map.of("flag", "true", "error", "", "result", Map.of("online", "true", "port", port));
    }

    @Test
    void aValidJobKeepsTheCallersIdWithModeAndTimeoutDefaults() {
        Instruct ins = jobs.instruct(job());
        assertEquals("0123456789abcdef", ins.getId());
        assertEquals("queue", ins.getType());
        assertEquals("NP", ins.getMode());
        assertEquals(90, ins.getTimeout());
        assertEquals("", ins.getProxy());
        Map<String, Object> cron = job();
        cron.put("type", "cron");
        cron.put("mode", "p");
        cron.put("timeout", "5");
        Instruct c = jobs.instruct(cron);
        assertEquals("P", c.getMode());
        assertEquals(5, c.getTimeout());
    }

    @Test
    void anInvalidJobIsRefusedWithTheReason() {
        for (String field : List.of("id", "ip", "app", "func")) {
            Map<String, Object> body = job();
            body.put(field, " ");
            RuntimeException e = assertThrows(RuntimeException.class, () -> jobs.instruct(body), field);
            assertTrue(e.getMessage().contains(field), e.getMessage());
        }
        Map<String, Object> type = job();
        type.put("type", "rt");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> jobs.instruct(type)).getMessage().contains("'rt'"));
        Map<String, Object> mode = job();
        mode.put("mode", "X");
        assertTrue(assertThrows(RuntimeException.class, () -> jobs.instruct(mode)).getMessage().startsWith("[403.4]"));
        Map<String, Object> timeout = job();
        timeout.put("timeout", "soon");
        assertTrue(assertThrows(RuntimeException.class, () -> jobs.instruct(timeout)).getMessage().startsWith("[403.8]"));
    }

    @Test
    void aTaskTheAgentAcknowledgesNeedsNoResultNow() throws Exception {
        int port = startAgent(1);
        assertNull(jobs.send(jobs.instruct(job()), online(port)));
    }

    @Test
    void aRefusedUnreachableOrUnknownAgentGivesTheFailureResultAtOnce() throws Exception {
        Instruct ins = jobs.instruct(job());
        int refusing = startAgent(-1);
        Map<String, Object> refused = jobs.send(ins, online(refusing));
        assertEquals("false", refused.get("flag"));
        assertTrue(String.valueOf(refused.get("error")).startsWith(ErrorCode.SEND_JOB_FAIL.text()), refused.toString());
        assertEquals(Map.of("id", "0123456789abcdef"), refused.get("result"));

        Map<String, Object> down = jobs.send(ins, online(closedPort()));
        assertTrue(String.valueOf(down.get("error")).startsWith("[410.1]"), down.toString());

        Map<String, Object> unknown = jobs.send(ins, Map.of("flag", "false", "error", "[414.1]Agent Info Not Found"));
        assertTrue(String.valueOf(unknown.get("error")).startsWith("[414.1]"), unknown.toString());
        assertEquals(Map.of("id", "0123456789abcdef"), unknown.get("result"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchGoesToItsAgentInOneCallAndWhatItDidNotTakeGetsFailureResults() throws Exception {
        Map<String, Object> second = job();
        second.put("id", "fedcba9876543210");
        second.put("type", "cron");
        Map<String, Object> otherAgent = job();
        otherAgent.put("ip", "127.0.0.9");
        Map<String, Object> broken = job();
        broken.remove("app");
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        Map<String, Object> query = jobs.acceptBatch(Map.of("ip", "127.0.0.1", "jobs", List.of(job(), second, otherAgent, broken)), exchange);
        assertEquals(Map.of("ip", "127.0.0.1"), query);
        List<Instruct> batch = exchange.getProperty(AsyncJobs.BATCH, List.class);
        assertEquals(List.of("0123456789abcdef", "fedcba9876543210"), batch.stream().map(Instruct::getId).toList(),
                "the job for another agent and the broken one are dropped");

        assertEquals(List.of(), jobs.sendBatch(batch, online(startAgent(1))), "all taken: nothing to report now");
        agent.stop();
        List<Map<String, Object>> refused = jobs.sendBatch(batch, online(startAgent(-1)));
        assertEquals(List.of("queue", "cron"), refused.stream().map(f -> f.get("type")).toList());
        Map<String, Object> first = (Map<String, Object>) refused.get(0).get("result");
        assertTrue(String.valueOf(first.get("error")).startsWith(ErrorCode.SEND_JOB_FAIL.text()), first.toString());
        List<Map<String, Object>> down = jobs.sendBatch(batch, online(closedPort()));
        assertEquals(2, down.size());
        assertTrue(String.valueOf(((Map<String, Object>) down.get(1).get("result")).get("error")).startsWith("[410.1]"), down.toString());
        assertThrows(IllegalArgumentException.class, () -> jobs.acceptBatch(Map.of("ip", "127.0.0.1", "jobs", List.of(broken)), exchange));
    }

    @Test
    void aResendThatCannotReachTheAgentIsANoteNotAResultAndAFirstSendStill4101() throws Exception {
        Instruct ins = jobs.instruct(job());
        Map<String, Object> unreachable = jobs.send(ins, online(closedPort()), AsyncJobs.Sending.RESEND);
        assertEquals("true", unreachable.get(TaskResult.RESEND_FAILED), unreachable.toString());
        assertTrue(String.valueOf(unreachable.get("error")).startsWith("[410.1]"), unreachable.toString());
        assertEquals(Map.of("id", "0123456789abcdef"), unreachable.get("result"));
        for (String error : List.of("[414.1]Agent Info Not Found", "[414.2]Agent Offline")) {
            Map<String, Object> unknown = jobs.send(ins, Map.of("flag", "false", "error", error), AsyncJobs.Sending.RESEND);
            assertEquals("true", unknown.get(TaskResult.RESEND_FAILED), error);
        }
        Map<String, Object> offline = jobs.send(ins, Map.of("flag", "true", "error", "",
                "result", Map.of("online", "false", "last_hb_time", "x")), AsyncJobs.Sending.RESEND_TO_UNREACHABLE);
        assertTrue(String.valueOf(offline.get("error")).startsWith("[414.2]"), offline.toString());
        assertEquals("true", offline.get(TaskResult.RESEND_FAILED));

        // a first send that fails ends the task: no mark
        Map<String, Object> first = jobs.send(ins, online(closedPort()), AsyncJobs.Sending.FIRST);
        assertNull(first.get(TaskResult.RESEND_FAILED), first.toString());
        // an agent that answers and refuses a re-send was reached: a plain failure result
        Map<String, Object> refused = jobs.send(ins, online(startAgent(-1)), AsyncJobs.Sending.RESEND);
        assertNull(refused.get(TaskResult.RESEND_FAILED), refused.toString());
        agent.stop();

        // a re-send taken: nothing to say, unless the agent had been unreachable (it is back)
        int port = startAgent(1);
        assertNull(jobs.send(ins, online(port), AsyncJobs.Sending.RESEND));
        Map<String, Object> back = jobs.send(ins, online(port), AsyncJobs.Sending.RESEND_TO_UNREACHABLE);
        assertEquals(Map.of("flag", "true", "error", "", "result", Map.of("id", "0123456789abcdef"),
                TaskResult.RESEND_FAILED, "false"), back);
    }

    @Test
    void theResendMarksOfTheBodySayHowItIsSent() {
        Map<String, Object> body = job();
        assertEquals(AsyncJobs.Sending.FIRST, AsyncJobs.Sending.of(AsyncJob.fromMap(body)));
        body.put("resend", true);
        assertEquals(AsyncJobs.Sending.RESEND, AsyncJobs.Sending.of(AsyncJob.fromMap(body)));
        body.put("unreachable", true);
        assertEquals(AsyncJobs.Sending.RESEND_TO_UNREACHABLE, AsyncJobs.Sending.of(AsyncJob.fromMap(body)));
    }

    @Test
    void heartbeatNotAskedOrNotAnsweringIsRetryLaterNotAFailureResult() {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        jobs.accept(job(), exchange);
        for (String error : List.of("[503.2]Message Broker Unavailable", "[500.1]Internal Component Timeout: heartbeat did not answer getStatByIp in time")) {
            exchange.setProperty(OnlineCheck.ONLINE, Map.of("flag", "false", "error", error));
            RetryLater e = assertThrows(RetryLater.class, () -> jobs.dispatch(exchange), error);
            assertTrue(e.getMessage().contains(error), e.getMessage());
        }
        org.apache.camel.Exchange batch = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        jobs.acceptBatch(Map.of("ip", "127.0.0.1", "jobs", List.of(job())), batch);
        batch.setProperty(OnlineCheck.ONLINE, Map.of("flag", "false", "error", "[503.2]Message Broker Unavailable"));
        assertThrows(RetryLater.class, () -> jobs.dispatchBatch(batch));
        // an answer about the agent is no infrastructure failure: the task's failure result
        exchange.setProperty(OnlineCheck.ONLINE, Map.of("flag", "false", "error", "[414.1]Agent Info Not Found"));
        assertTrue(String.valueOf(jobs.dispatch(exchange).get("error")).startsWith("[414.1]"));
    }

    @Test
    void cancelJobsAsksTheAgentToKillTheIds() throws Exception {
        int port = startAgent(1, true);
        Map<String, Object> body = Map.of("ip", "127.0.0.1", "ids", List.of("0123456789abcdef", "", "fedcba9876543210"));
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        cancels.acceptCancel(body, exchange);
        Instruct target = exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class);
        assertEquals("127.0.0.1", target.getIp());
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getProperty(TaskCancels.CANCEL_IDS, List.class);
        assertEquals(List.of("0123456789abcdef", "fedcba9876543210"), ids);
        // the stub "kills" the first id only
        assertEquals(List.of("0123456789abcdef"), cancels.cancel(target, ids, online(port)));
        assertEquals(List.of(ids), cancelCalls);
        assertThrows(IllegalArgumentException.class, () -> cancels.acceptCancel(Map.of("ip", "127.0.0.1", "ids", List.of()), exchange));
    }

    @Test
    void anAgentWithoutInstructionCancelCannotCancelAndThatIsNoError() throws Exception {
        int port = startAgent(1, false);
        Instruct target = new Instruct().setId("").setIp("127.0.0.1").setProxy("");
        assertNull(cancels.cancel(target, List.of("0123456789abcdef"), online(port)));
        // the connection stays usable: the agent answered the unknown call properly
        assertNull(jobs.send(jobs.instruct(job()), online(port)));
        // an agent that cannot be reached: logged only
        assertNull(cancels.cancel(target, List.of("0123456789abcdef"), online(closedPort())));
    }

    private final List<List<String>> cancelCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

    private int startAgent(int ackFlag) throws Exception {
        return startAgent(ackFlag, true);
    }

    /**
     * A minimal AgentService that acknowledges every async instruct with the given flag; without
     * {@code canCancel} it is an original agent, which does not know instructionCancel.
     */
    private int startAgent(int ackFlag, boolean canCancel) throws Exception {
        int port = closedPort();
        TServerSocket socket = new TServerSocket(new InetSocketAddress("127.0.0.1", port));
        AgentService.Iface iface = new AgentService.Iface() {
                    @Override
                    public String aliveCheck() {
                        return "success";
                    }

                    @Override
                    public List<Reinstruct> instructionInvokeAsync(List<Instruct> insList) {
                        return insList.stream().map(i -> new Reinstruct(i, ackFlag, 0, ackFlag == 1 ? "" : "busy")).toList();
                    }

                    @Override
                    public Reinstruct instructionInvokeSync(Instruct ins) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public List<String> instructionCancel(List<String> ids) {
                        cancelCalls.add(ids);
                        return ids.isEmpty() ? List.of() : List.of(ids.get(0));
                    }

                    @Override
                    public String cronSync(String crons) {
                        return "";
                    }
                };
        Map<String, org.apache.thrift.ProcessFunction<AgentService.Iface, ? extends org.apache.thrift.TBase>> functions =
                new HashMap<>(new AgentService.Processor<>(iface).getProcessMapView());
        if (!canCancel) {
            functions.remove("instructionCancel");
        }
        agent = new TSimpleServer(new TServer.Args(socket).protocolFactory(new TBinaryProtocol.Factory())
                .processor(new org.apache.thrift.TBaseProcessor<AgentService.Iface>(iface, functions) {
                }));
        Thread serving = new Thread(agent::serve, "stub-agent");
        serving.setDaemon(true);
        serving.start();
        for (int i = 0; i < 100 && !agent.isServing(); i++) {
            Thread.sleep(10);
        }
        return port;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
