package org.elves.agent.runner;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The kept head of what a worker wrote to one stream, and how much it wrote in all, whether it
 * came through a pipe ({@link CappedOutput}) or a spool file ({@link Spool}).
 */
record CapturedOutput(byte[] kept, int keptBytes, long totalBytes) {

    /** What was kept, decoded as UTF-8 (a sequence cut at the cap becomes U+FFFD). */
    String text() {
        return new String(kept, 0, keptBytes, UTF_8);
    }

    boolean truncated() {
        return totalBytes > keptBytes;
    }
}
