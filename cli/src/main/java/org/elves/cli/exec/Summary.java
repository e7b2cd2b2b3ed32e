package org.elves.cli.exec;

import java.util.List;

/** Counts over all hosts of one exec, and the exit code they come to. */
record Summary(int hosts, int ok, int failed, int noAnswer) {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_API_ERROR = 2;
    static final int EXIT_NO_ANSWER = 3;

    static Summary of(List<HostResult> results) {
        int ok = 0;
        int failed = 0;
        int noAnswer = 0;
        for (HostResult r : results) {
            switch (r.kind()) {
                case OK -> ok++;
                case WORKER_FAILED, API_ERROR -> failed++;
                case NO_ANSWER -> noAnswer++;
            }
        }
        return new Summary(results.size(), ok, failed, noAnswer);
    }

    /**
     * One host: 0 ok, 1 worker failure, 2 API error, 3 no answer, so a script can tell what to
     * fix. Many hosts: 0 only when all are ok, 3 when none answered (the API is down or
     * unreachable), else 1.
     */
    static int exitCode(List<HostResult> results) {
        if (results.size() == 1) {
            return switch (results.get(0).kind()) {
                case OK -> EXIT_OK;
                case WORKER_FAILED -> EXIT_FAILED;
                case API_ERROR -> EXIT_API_ERROR;
                case NO_ANSWER -> EXIT_NO_ANSWER;
            };
        }
        Summary s = of(results);
        if (s.ok() == s.hosts()) {
            return EXIT_OK;
        }
        return s.noAnswer() == s.hosts() ? EXIT_NO_ANSWER : EXIT_FAILED;
    }

    /** {@code N hosts: X ok, Y failed, Z no answer} */
    String line() {
        return hosts + " hosts: " + ok + " ok, " + failed + " failed, " + noAnswer + " no answer";
    }
}
