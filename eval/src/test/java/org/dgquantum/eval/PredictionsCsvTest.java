package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.dgquantum.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsCsvTest {
    private static final String H = PredictionsCsv.HEADER + "\n";

    @TempDir
    Path dir;

    @Test
    void headerIsExact() {
        assertEquals("id,domain,label,probability,prediction,model,seed", PredictionsCsv.HEADER);
    }

    @Test
    void roundTripIsExact() throws IOException {
        List<Prediction> ps = List.of(
                Prediction.of("img-001", "center-4", 1, 0.1 + 0.2, "dgquantum", 7),
                Prediction.of("a,b \"quoted\"", "center 5, legacy", 0, 1e-9, "dgquantum+tta", -3),
                new Prediction("multi\nline", "c", 0, 1.0, 0, "mobilenetv2", Long.MAX_VALUE),
                Prediction.of(" padded ", "c", 1, 0.0, "m", 0));
        Path f = dir.resolve("run/predictions.csv");
        PredictionsCsv.write(f, ps);
        assertEquals(ps, PredictionsCsv.read(f));
        String text = Files.readString(f);
        assertTrue(text.startsWith(H), text);
        assertTrue(text.contains("img-001,center-4,1,0.30000000000000004,0,dgquantum,7\n"), text);
        try (Stream<Path> files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "no temporary files left behind");
        }
        // overwrite atomically
        PredictionsCsv.write(f, ps.subList(0, 1));
        assertEquals(ps.subList(0, 1), PredictionsCsv.read(f));
    }

    @Test
    void headerOnlyIsEmptyAndCrlfIsAccepted() throws IOException {
        assertEquals(List.of(), PredictionsCsv.read(write(H)));
        List<Prediction> ps = PredictionsCsv.read(write(PredictionsCsv.HEADER + "\r\nx,d,1,0.75,1,m,3\r\n\r\n"));
        assertEquals(List.of(new Prediction("x", "d", 1, 0.75, 1, "m", 3)), ps);
    }

    @Test
    void malformedFilesNameLineColumnAndProblem() throws IOException {
        expect("", 1, 0, "empty file");
        expect("id,domain,label,prob,prediction,model,seed\n", 1, 4, "header column is \"prob\"");
        expect("id,domain,label,probability,prediction,model\n", 1, 7, "missing column \"seed\"");
        expect(H + "a,d,1,0.5,1,m,1\nb,d,1,abc,1,m,1\n", 3, 4, "not a number");
        expect(H + "a,d,1,1.5,1,m,1\n", 2, 4, "[0, 1]");
        expect(H + "a,d,1,NaN,1,m,1\n", 2, 4, "[0, 1]");
        expect(H + "a,d,2,0.5,1,m,1\n", 2, 3, "0 or 1");
        expect(H + "a,d,1,0.5,yes,m,1\n", 2, 5, "0 or 1");
        expect(H + "a,d,1,0.5,1,m,seven\n", 2, 7, "integer seed");
        expect(H + "a,,1,0.5,1,m,1\n", 2, 2, "empty value");
        expect(H + "a,d,1,0.5,1\n", 2, 0, "expected 7 columns, found 5");
        expect(H + "a,d,1,0.5,1,m,1\n\nb,d,1,0.5,1,m,1\n", 3, 0, "empty line");
        expect(H + "a,\"d,1,0.5,1,m,1\n", 2, 2, "unterminated quoted field");
        expect(H + "a,d\"x,1,0.5,1,m,1\n", 2, 2, "quote inside an unquoted field");
        expect(H + "a,d,1,0.5,1,m,1\nb,d,0,0.2,0,m,1\na,e,1,0.9,1,m,1\n", 4, 1, "duplicate id \"a\"");
    }

    @Test
    void sameIdForAnotherModelOrSeedIsFine() throws IOException {
        List<Prediction> ps = PredictionsCsv.read(write(H + "a,d,1,0.5,1,m,1\na,d,1,0.5,1,m,2\na,d,1,0.5,1,n,1\n"));
        assertEquals(3, ps.size());
    }

    @Test
    void missingFileIsADataException() {
        Path f = dir.resolve("nope.csv");
        DataException e = assertThrows(DataException.class, () -> PredictionsCsv.read(f));
        assertTrue(e.getMessage().contains("nope.csv") && e.getMessage().contains("not found"), e.getMessage());
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "p", ".csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private void expect(String text, int line, int column, String problem) throws IOException {
        Path f = write(text);
        PredictionsFormatException e = assertThrows(PredictionsFormatException.class, () -> PredictionsCsv.read(f),
                "no error for: " + text);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString() + ": line " + line), e.getMessage());
        assertTrue(e.file().orElseThrow().equals(f));
    }
}
