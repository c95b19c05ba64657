package org.nextscale.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How every file nextscale produces is written (models, checkpoints, classifier weights, images, the
 * kernel spec): into a temporary file in the same folder, then renamed over the target, so a reader
 * never sees half a file and a failure leaves the previous file as it was.
 *
 * <p>The temporary file is created like any file the user creates (read-write for everyone, minus the
 * umask: usually 0644), not with {@link Files#createTempFile}'s owner-only 0600, which the rename would
 * otherwise carry over to the finished file.
 */
public final class AtomicWrite {
    private AtomicWrite() {}

    /** Writes the file's contents to the stream it is given (buffered; {@link #write} closes it, the body may too). */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Creates the folder if needed, writes {@code body} to a temporary file beside {@code file}, renames it over {@code file}. */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target))
            throw new IOException("cannot write " + file + ": it is an existing folder; give a file name");
        Path tmp;
        try {
            if (dir != null) Files.createDirectories(dir);
            tmp = createTemp(target);
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + file + ": " + reason(e, dir) + "; choose another output location");
        }
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                try (OutputStream out = new BufferedOutputStream(keepOpen(Channels.newOutputStream(channel)), 1 << 16)) {
                    body.writeTo(out);
                }
                channel.force(true); // on disk before the rename, so even a power cut leaves the old or the new file
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The stream with close() reduced to flush(), so a body that closes it (a ZipOutputStream does) leaves the file open for force. */
    private static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Why a folder could not be made or written to, in words (the exception's own message is only a path). */
    private static String reason(FileSystemException e, Path dir) {
        if (e instanceof AccessDeniedException) return "no permission to write in " + (dir == null ? "the folder" : dir) + " (read-only?)";
        for (Path p = dir; p != null; p = p.getParent())
            if (Files.exists(p) && !Files.isDirectory(p)) return p + " is a file, not a folder";
        String r = e.getReason();
        return (r == null ? e.getClass().getSimpleName() : r) + (e.getFile() == null ? "" : " (" + e.getFile() + ")");
    }

    /**
     * Deletes temporary files left beside {@code file} by a process killed while it wrote it. Only for a
     * caller that owns the file (a training run and its checkpoint), never while another process may write it.
     */
    public static void deleteStaleTemporaries(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) return;
        String prefix = "." + target.getFileName() + ".";
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp")).toList())
                Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary file that cannot be deleted harms nothing
        }
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** ".NAME.RANDOM.tmp" beside the target, created new with default (umask) permissions. */
    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }
}
