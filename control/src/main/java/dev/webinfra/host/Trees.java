package dev.webinfra.host;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory trees on this machine: the one recursive delete of the control plane. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes {@code root} and all below it, if it exists; a link is removed, never followed. The
   * first file that cannot be deleted stops it with that error.
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // A file or directory that goes while the walk runs (an ssh master removing its socket on
    // exit, a daemon's last pid file) is one less to remove, not an error.
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof java.nio.file.NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null && !(exc instanceof java.nio.file.NoSuchFileException)) {
              throw exc;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Deletes {@code dir} if it is an empty directory: a directory that something else (another lab,
   * site or test bed) put an entry in meanwhile stays, as does one that is gone already.
   */
  public static void deleteIfEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (java.nio.file.NoSuchFileException
        | java.nio.file.NotDirectoryException
        | java.nio.file.DirectoryNotEmptyException e) {
      // Not there, not a directory, or in use again: it stays as it is.
    }
  }
}
