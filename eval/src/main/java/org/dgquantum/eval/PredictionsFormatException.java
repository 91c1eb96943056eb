package org.dgquantum.eval;

import java.nio.file.Path;

import org.dgquantum.data.DataException;

/**
 * A malformed {@code predictions.csv}: names the file, the 1-based line and column and the problem, e.g.
 * {@code run/predictions.csv: line 5, column 4 (probability): not a number: "abc"}. A {@link DataException},
 * so the CLI reports it like any other bad input.
 */
public final class PredictionsFormatException extends DataException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String problem;

    PredictionsFormatException(Path file, int line, int column, String problem) {
        super(file, where(line, column) + problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    private static String where(int line, int column) {
        if (column <= 0) return "line " + line + ": ";
        String name = column <= PredictionsCsv.COLUMNS.size() ? " (" + PredictionsCsv.COLUMNS.get(column - 1) + ")" : "";
        return "line " + line + ", column " + column + name + ": ";
    }

    /** 1-based line number of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column number of the problem, or 0 when it concerns the whole line. */
    public int column() {
        return column;
    }

    /** The problem alone, without file, line and column. */
    public String problem() {
        return problem;
    }
}
