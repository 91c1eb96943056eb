package org.dgquantum.eval;

import org.dgquantum.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dgquantum.data.DataException;

/**
 * Reads and writes {@code predictions.csv}: UTF-8, header exactly {@code id,domain,label,probability,prediction,model,seed},
 * one {@link Prediction} per line, RFC 4180 quoting for fields that contain a comma, a quote or a line break.
 * Probabilities are written with {@link Double#toString} so that a round trip is exact.
 * <p>
 * Writing is atomic (temporary file, then {@code ATOMIC_MOVE}). Reading validates every field and throws a
 * {@link PredictionsFormatException} naming the file, line, column and problem; a missing file is a
 * {@link DataException}.
 */
public final class PredictionsCsv {
    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "domain", "label", "probability", "prediction", "model", "seed");
    /** The header line, exactly. */
    public static final String HEADER = String.join(",", COLUMNS);
    /** Conventional file name inside a run directory. */
    public static final String FILE_NAME = "predictions.csv";

    private PredictionsCsv() {
    }

    /** Writes {@code predictions} to {@code file} atomically, creating parent directories. */
    public static void write(Path file, List<Prediction> predictions) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(HEADER);
            w.write('\n');
            StringBuilder sb = new StringBuilder(128);
            for (Prediction p : predictions) {
                sb.setLength(0);
                field(sb, p.id()).append(',');
                field(sb, p.domain()).append(',');
                sb.append(p.label()).append(',');
                sb.append(p.probability()).append(',');
                sb.append(p.prediction()).append(',');
                field(sb, p.model()).append(',');
                sb.append(p.seed()).append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }

    private static StringBuilder field(StringBuilder sb, String s) {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
        if (!quote) return sb.append(s);
        return sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    /**
     * Reads {@code file}. Blank lines at the end are ignored; everything else must be a valid row.
     *
     * @throws PredictionsFormatException on a malformed file (file, line, column, problem)
     * @throws DataException              when the file is missing or unreadable
     */
    public static List<Prediction> read(Path file) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new DataException(file, "predictions file not found");
        } catch (CharacterCodingException e) {
            throw new DataException(file, "not valid UTF-8 text");
        } catch (IOException e) {
            throw new DataException(file, "cannot read predictions file", e);
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<Row> rows = parse(file, text);
        if (rows.isEmpty()) {
            throw new PredictionsFormatException(file, 1, 0, "empty file, expected the header " + HEADER);
        }
        Row header = rows.getFirst();
        if (!header.fields.equals(COLUMNS)) {
            for (int c = 0; c < Math.max(header.fields.size(), COLUMNS.size()); c++) {
                String got = c < header.fields.size() ? header.fields.get(c) : null;
                String want = c < COLUMNS.size() ? COLUMNS.get(c) : null;
                if (got == null || !got.equals(want)) {
                    String problem = want == null ? "unexpected extra header column \"" + got + "\""
                            : got == null ? "header is missing column \"" + want + "\""
                            : "header column is \"" + got + "\", expected \"" + want + "\"";
                    throw new PredictionsFormatException(file, header.line, c + 1, problem + " (header must be " + HEADER + ")");
                }
            }
        }
        List<Prediction> out = new ArrayList<>(rows.size() - 1);
        Map<String, Integer> seen = new HashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.fields.size() != COLUMNS.size()) {
                if (row.fields.size() == 1 && row.fields.getFirst().isEmpty()) {
                    throw new PredictionsFormatException(file, row.line, 0, "empty line");
                }
                throw new PredictionsFormatException(file, row.line, 0,
                        "expected " + COLUMNS.size() + " columns, found " + row.fields.size());
            }
            String id = nonEmpty(file, row, 0);
            String domain = nonEmpty(file, row, 1);
            int label = binary(file, row, 2);
            double probability = probability(file, row, 3);
            int prediction = binary(file, row, 4);
            String model = nonEmpty(file, row, 5);
            long seed;
            try {
                seed = Long.parseLong(row.fields.get(6).strip());
            } catch (NumberFormatException e) {
                throw new PredictionsFormatException(file, row.line, 7, "not an integer seed: \"" + row.fields.get(6) + "\"");
            }
            String key = model + '\u0000' + seed + '\u0000' + id;
            Integer first = seen.putIfAbsent(key, row.line);
            if (first != null) {
                throw new PredictionsFormatException(file, row.line, 1, "duplicate id \"" + id + "\" for model \"" + model
                        + "\" and seed " + seed + " (first on line " + first + ")");
            }
            out.add(new Prediction(id, domain, label, probability, prediction, model, seed));
        }
        return out;
    }

    private static String nonEmpty(Path file, Row row, int c) {
        String s = row.fields.get(c);
        if (s.isEmpty()) throw new PredictionsFormatException(file, row.line, c + 1, "empty value");
        return s;
    }

    private static int binary(Path file, Row row, int c) {
        String s = row.fields.get(c).strip();
        if (s.equals("0")) return 0;
        if (s.equals("1")) return 1;
        throw new PredictionsFormatException(file, row.line, c + 1, "must be 0 or 1, found \"" + row.fields.get(c) + "\"");
    }

    private static double probability(Path file, Row row, int c) {
        String s = row.fields.get(c).strip();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new PredictionsFormatException(file, row.line, c + 1, "not a number: \"" + row.fields.get(c) + "\"");
        }
        if (!(v >= 0.0 && v <= 1.0)) {
            throw new PredictionsFormatException(file, row.line, c + 1, "probability must be in [0, 1], found " + s);
        }
        return v;
    }

    private record Row(int line, List<String> fields) {
    }

    /** RFC 4180 records; a record's line is the physical line it starts on. Trailing blank lines are dropped. */
    private static List<Row> parse(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        int n = text.length();
        int i = 0;
        int line = 1;
        while (i < n) {
            int rowLine = line;
            List<String> fields = new ArrayList<>(COLUMNS.size());
            StringBuilder f = new StringBuilder();
            boolean endOfRow = false;
            while (!endOfRow) {
                f.setLength(0);
                if (i < n && text.charAt(i) == '"') {
                    int quoteLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new PredictionsFormatException(file, quoteLine, fields.size() + 1, "unterminated quoted field");
                        }
                        char ch = text.charAt(i++);
                        if (ch == '"') {
                            if (i < n && text.charAt(i) == '"') {
                                f.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            if (ch == '\n') line++;
                            f.append(ch);
                        }
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new PredictionsFormatException(file, line, fields.size() + 1, "unexpected text after a closing quote");
                    }
                } else {
                    while (i < n) {
                        char ch = text.charAt(i);
                        if (ch == ',' || ch == '\n' || ch == '\r') break;
                        if (ch == '"') {
                            throw new PredictionsFormatException(file, line, fields.size() + 1,
                                    "quote inside an unquoted field (quote the whole field and double the quote)");
                        }
                        f.append(ch);
                        i++;
                    }
                }
                fields.add(f.toString());
                if (i >= n) {
                    endOfRow = true;
                } else {
                    char ch = text.charAt(i++);
                    if (ch == ',') continue;
                    if (ch == '\r' && i < n && text.charAt(i) == '\n') i++;
                    line++;
                    endOfRow = true;
                }
            }
            rows.add(new Row(rowLine, fields));
        }
        while (!rows.isEmpty() && rows.getLast().fields.size() == 1 && rows.getLast().fields.getFirst().isEmpty()) {
            rows.removeLast();
        }
        return rows;
    }
}
