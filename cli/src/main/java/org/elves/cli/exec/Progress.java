package org.elves.cli.exec;

/** Progress display of a fan-out; {@link #NONE} when nobody watches a terminal. */
interface Progress extends AutoCloseable {
    Progress NONE = new Progress() {
        @Override
        public void printAbove(Runnable print) {
            print.run();
        }

        @Override
        public int columns(int fallback) {
            return fallback;
        }

        @Override
        public void close() {
        }
    };

    /** Runs {@code print} (which writes one finished host's line) and counts that host as done. */
    void printAbove(Runnable print);

    /** Width of the terminal if known, else {@code fallback}. */
    int columns(int fallback);

    @Override
    void close();
}
