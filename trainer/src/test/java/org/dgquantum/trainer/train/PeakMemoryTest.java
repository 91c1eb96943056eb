package org.dgquantum.trainer.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PeakMemoryTest {
    private static final long MIB = 1L << 20;

    @Test
    void peakGrowsWhenTheProcessTouchesMoreMemory() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
        long rssBefore = PeakMemory.rssBytes();
        assertTrue(rssBefore > 0, "VmRSS " + rssBefore);
        // 128 MiB off the Java heap, every page written so that it becomes resident.
        ByteBuffer b = ByteBuffer.allocateDirect((int) (128 * MIB));
        for (int i = 0; i < b.capacity(); i += 4096) {
            b.put(i, (byte) 1);
        }
        long peak = PeakMemory.peakRssBytes();
        assertTrue(peak >= rssBefore + 100 * MIB, "peak " + peak + " after touching 128 MiB on top of " + rssBefore);
        assertTrue(peak >= PeakMemory.rssBytes() - 16 * MIB, "the peak is at least the current RSS");
        assertEquals(1, b.get(4096)); // keeps b reachable until here
    }

    @Test
    void readsKilobyteFieldsAndReportsMissingOnesAsMinusOne(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t  1000 kB\nThreads:\t7\n");
        assertEquals(1234 * 1024L, PeakMemory.field(status, "VmHWM"));
        assertEquals(1000 * 1024L, PeakMemory.field(status, "VmRSS"));
        assertEquals(7, PeakMemory.field(status, "Threads"));
        assertEquals(-1, PeakMemory.field(status, "VmSwap"));
        assertEquals(-1, PeakMemory.field(dir.resolve("missing"), "VmHWM"));
    }

    @Test
    void describesSizesInDecimalUnits() {
        assertEquals("1.02 GB", PeakMemory.describe(1_016_393_728L));
        assertEquals("512 MB", PeakMemory.describe(512_000_000L));
        assertEquals("unknown", PeakMemory.describe(-1));
    }
}
