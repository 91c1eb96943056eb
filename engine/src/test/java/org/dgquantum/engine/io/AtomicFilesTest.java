package org.dgquantum.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheTargetWholeAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub/report.json");
        AtomicFiles.writeString(f, "first");
        // A body that closes its stream (as Jackson does) still completes the write.
        AtomicFiles.write(f, out -> {
            out.write("second".getBytes());
            out.close();
        });
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("report.json"), names(f.getParent()));
    }

    @Test
    void aFailingBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("state.json"), names(dir));
    }

    @Test
    void filesGetTheSamePermissionsAsAnyNewFile() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written");
        AtomicFiles.writeString(written, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void leftoversOfInterruptedWritesAreRecognisedAndDeleted() throws IOException {
        Files.writeString(dir.resolve(".epoch-0002.zip.5d1c.tmp"), "PK");
        Files.writeString(dir.resolve(".config.json123.tmp"), "{"); // an older dgq's temporary name
        Files.writeString(dir.resolve("notes.tmp"), "the user's");
        Files.writeString(dir.resolve(".tmp"), "not ours");
        assertTrue(AtomicFiles.isLeftover(dir.resolve(".epoch-0002.zip.5d1c.tmp")));
        assertFalse(AtomicFiles.isLeftover(dir.resolve("notes.tmp")));
        assertEquals(2, AtomicFiles.deleteLeftovers(dir));
        assertEquals(List.of(".tmp", "notes.tmp"), names(dir));
    }
}
