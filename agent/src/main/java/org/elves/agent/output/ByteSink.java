package org.elves.agent.output;

/** Where a copy of the bytes read from a worker's stream goes; it must never block the reader. */
@FunctionalInterface
public interface ByteSink {
    ByteSink NONE = (bytes, offset, length) -> { };

    void write(byte[] bytes, int offset, int length);
}
