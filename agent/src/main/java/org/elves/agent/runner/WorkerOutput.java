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

    private WorkerOutput() {
    }

    static WorkerOutcome interpret(CappedOutput stdout, int exitCode, String stderrText, long costMillis) {
        String text = stdout.text();
        String mark = stdout.truncated()
                ? "\n[elves: output truncated, kept " + stdout.keptBytes() + " of " + stdout.totalBytes() + " bytes]"
                : "";
        Matcher flag = FLAG.matcher(text);
        if (!flag.find()) {
            if (exitCode != 0) {
                String why = stderrText.isBlank() ? head(text) : head(stderrText);
                return WorkerOutcome.error("app exec error : exit code " + exitCode + (why.isEmpty() ? "" : ": " + why) + mark,
                        costMillis);
            }
            return WorkerOutcome.error("app output flag error : " + head(text) + mark, costMillis);
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

    static String head(String text) {
        String t = text.strip();
        return t.length() <= HEAD_CHARS ? t : t.substring(0, HEAD_CHARS) + "...";
    }
}
