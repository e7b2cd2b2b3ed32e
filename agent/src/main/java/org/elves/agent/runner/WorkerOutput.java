package org.elves.agent.runner;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a finished worker's output into a flag and a result (reference §8.5.5). */
final class WorkerOutput {
    // greedy like the original parser; the closing tag's lower-case f is the book's typo
    private static final Pattern FLAG = Pattern.compile("<ElvesWFlag>(.*)</ElvesW[Ff]lag>", Pattern.DOTALL);
    private static final Pattern RESULT = Pattern.compile("<ElvesWResult>(.*)</ElvesWResult>", Pattern.DOTALL);
    private static final String RESULT_OPEN = "<ElvesWResult>";
    /** How much of an unusable output is quoted in the error text. */
    static final int HEAD_CHARS = 512;
    /**
     * The result of a worker that printed no flag and was not the agent's child: it ran while the
     * agent restarted, so its exit status was reaped by someone else and is unknown.
     */
    static final String EXIT_UNKNOWN = "app exec error : worker finished while the agent was restarting; exit status unknown";

    private WorkerOutput() {
    }

    static WorkerOutcome interpret(CapturedOutput stdout, int exitCode, String stderrText, long costMillis) {
        return interpret(stdout, costMillis, () -> exitCode != 0
                ? "app exec error : exit code " + exitCode + because(stderrText, stdout)
                : "app output flag error : " + head(stdout.text()));
    }

    /**
     * As {@link #interpret(CapturedOutput, int, String, long)} for a worker adopted after a
     * restart: the tags decide alone; without them it is a failure, {@link #EXIT_UNKNOWN}.
     */
    static WorkerOutcome interpretAdopted(CapturedOutput stdout, String stderrText, long costMillis) {
        return interpret(stdout, costMillis, () -> EXIT_UNKNOWN + because(stderrText, stdout));
    }

    /** Whether the output holds a flag tag: a worker that printed one finished its answer. */
    static boolean hasFlag(CapturedOutput stdout) {
        return FLAG.matcher(stdout.text()).find();
    }

    private interface NoFlag {
        String message();
    }

    private static WorkerOutcome interpret(CapturedOutput stdout, long costMillis, NoFlag noFlag) {
        String text = stdout.text();
        String mark = stdout.truncated()
                ? "\n[elves: output truncated, kept " + stdout.keptBytes() + " of " + stdout.totalBytes() + " bytes]"
                : "";
        Matcher flag = FLAG.matcher(text);
        if (!flag.find()) {
            return WorkerOutcome.error(noFlag.message() + mark, costMillis);
        }
        int code = "true".equals(flag.group(1)) ? WorkerOutcome.TRUE : WorkerOutcome.FALSE;
        Matcher result = RESULT.matcher(text);
        if (result.find()) {
            return new WorkerOutcome(code, WorkerOutcome.clamp(costMillis), result.group(1) + mark);
        }
        int open = text.indexOf(RESULT_OPEN);
        if (stdout.truncated() && open >= 0) {
            // the cap cut the result off before its closing tag: keep what there is, say so
            return new WorkerOutcome(code, WorkerOutcome.clamp(costMillis),
                    text.substring(open + RESULT_OPEN.length()) + mark);
        }
        return WorkerOutcome.error("app output result error : " + head(text) + mark, costMillis);
    }

    private static String because(String stderrText, CapturedOutput stdout) {
        String why = stderrText.isBlank() ? head(stdout.text()) : head(stderrText);
        return why.isEmpty() ? "" : ": " + why;
    }

    static String head(String text) {
        String t = text.strip();
        return t.length() <= HEAD_CHARS ? t : t.substring(0, HEAD_CHARS) + "...";
    }
}
