package org.elves.cli.exec;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * A progress bar on the terminal's stderr while host lines scroll above it on stdout. The bar
 * redraws itself from a timer thread, so drawing the bar and printing a host line share one lock:
 * otherwise a redraw could land between clearing the bar's line and printing the host's.
 */
final class TerminalProgress implements Progress {
    /** ANSI: carriage return, then erase to the end of the line. */
    private static final String CLEAR_LINE = "\r\u001b[K";

    private final Object lock = new Object();
    private final PrintStream terminal;
    private final ConsoleProgressBarConsumer console;
    private final ProgressBar bar;

    TerminalProgress(String task, int total, PrintStream terminal) {
        this.terminal = terminal;
        this.console = new ConsoleProgressBarConsumer(terminal);
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" hosts", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new LockedConsumer())
                .build();
    }

    @Override
    public void printAbove(Runnable print) {
        synchronized (lock) {
            terminal.print(CLEAR_LINE);
            terminal.flush();
            print.run();
        }
        bar.step();
    }

    @Override
    public int columns(int fallback) {
        int width = console.getMaxRenderedLength();
        return width > 0 ? width : fallback;
    }

    @Override
    public void close() {
        bar.close();
    }

    private final class LockedConsumer implements ProgressBarConsumer {
        @Override
        public int getMaxRenderedLength() {
            return console.getMaxRenderedLength();
        }

        @Override
        public void accept(String rendered) {
            synchronized (lock) {
                console.accept(rendered);
                terminal.flush();
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                console.close();
            }
        }
    }
}
