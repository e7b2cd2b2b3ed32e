package org.elves.cli.logs;

import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A table of text for the logs' lists: a header and rows, each column as wide as its widest cell
 * (task ids of cron runs are longer than others), two spaces apart, the last column unpadded;
 * absent cells are "-".
 */
final class TextTable {
    private final List<String> header;
    private final Set<Integer> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header, Set<Integer> rightAligned) {
        this.header = List.copyOf(header);
        this.rightAligned = Set.copyOf(rightAligned);
    }

    void add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + row.size() + " cells for " + header.size() + " columns");
        }
        rows.add(row.stream().map(TextLines::orDash).toList());
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header and the rows, each cut to {@code columns}. */
    List<String> lines(int columns) {
        int[] width = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                if (i > 0) {
                    line.append("  ");
                }
                boolean last = i == row.size() - 1;
                line.append(rightAligned.contains(i) ? pad + cell : last ? cell : cell + pad);
            }
            lines.add(TextLines.fit(line.toString(), columns));
        }
        return lines;
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
