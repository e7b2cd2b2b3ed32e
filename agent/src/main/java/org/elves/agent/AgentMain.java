package org.elves.agent;

import picocli.CommandLine;

import java.util.Map;

/** {@code java -cp ... org.elves.agent.AgentMain [options]}: the agent on its own. */
public final class AgentMain {
    /** slf4j-simple's settings for a running agent, unless the operator set them. */
    private static final Map<String, String> LOG_DEFAULTS = Map.of(
            "org.slf4j.simpleLogger.defaultLogLevel", "info",
            "org.slf4j.simpleLogger.log.org.apache.thrift", "warn",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS",
            "org.slf4j.simpleLogger.showShortLogName", "true");

    private AgentMain() {
    }

    public static void main(String[] args) {
        org.elves.protocol.JvmDefaults.apply();
        // before the first logger exists, or they would not apply
        LOG_DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
