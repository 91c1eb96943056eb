package org.dgquantum.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    static TrainState.EpochRecord epoch(int e) {
        return new TrainState.EpochRecord(e, 10, 0.9, 0.6, 0.7, 0.5, 0.75, 0.8, 0.7, 0.9, 0.01, 12.0, 0.1);
    }

    @Test
    void epochLinesCarryTheTimeLeftForThisModelAndTheLaterOnes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "m").laterEpochs(6);
        p.epochStart();
        p.epochEnd(epoch(1), 3, true);
        p.epochStart();
        p.epochEnd(epoch(3), 3, false);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("m epoch 1/3: loss 0.6000 (total 0.9000)"), lines[0]);
        assertTrue(lines[0].contains("(steps 12.0 s) (best) | ETA ") && lines[0].endsWith(" in all"), lines[0]);
        assertTrue(lines[0].contains(" this model, "), lines[0]);
        // The model's last epoch: only the later models are left.
        assertFalse(lines[1].contains("this model"), lines[1]);
        assertTrue(lines[1].contains("| ETA "), lines[1]);
    }

    @Test
    void durationsReadLikeAPerson() {
        assertEquals("45 s", Progress.duration(45.2));
        assertEquals("12 min", Progress.duration(720));
        assertEquals("2.5 h", Progress.duration(9000));
    }
}
