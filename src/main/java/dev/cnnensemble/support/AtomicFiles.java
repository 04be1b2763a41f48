package dev.cnnensemble.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: the content goes to a temporary file in the same directory, is
 * forced to disk, renamed over the target, and the directory entry is forced too. A reader sees the
 * old file or the new one, never a torn one.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporaryFile) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            moveIntoPlace(tmp, target);
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, tmp -> Files.write(tmp, content));
    }

    /** Moves a complete file into place atomically; both must be on the same file system. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename itself is still atomic there.
        }
    }
}
