package dev.webinfra.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * One maker at a time for something this machine caches (the test bed's image, the servers' Java
 * runtime): an exclusive lock on a file beside it, which the kernel drops when its process ends,
 * however it ends. A second webinfra that wants the same thing waits for the first, then finds it
 * made.
 */
public final class CacheLock {
  private CacheLock() {}

  /**
   * Runs {@code work} holding the lock {@code file} (created with its directory if need be); if
   * another process holds it, says so through {@code waiting} once and blocks until it is free.
   */
  public static <T> T holding(Path file, Runnable waiting, Supplier<T> work) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = ch.tryLock();
        if (lock == null) {
          waiting.run();
          lock = ch.lock();
        }
        try {
          return work.get();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }
}
