package dev.webinfra.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a topology file, and every file it names, defensively: only a regular file, at most a size
 * of its kind ({@link #MAX_BYTES} for a topology), within {@link #TIME_LIMIT}, decoded strictly as
 * UTF-8. A device ({@code /dev/zero}), a FIFO or a directory is refused from its attributes, before
 * it is opened, so nothing can hang or fill the memory.
 */
final class SafeRead {
  /** The largest topology accepted: the presets are 2 KiB, a hundred hosts fit in 20. */
  static final int MAX_BYTES = 1024 * 1024;

  /** Why a file was not read, as a problem with the file's location. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Refused(Problem problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }

  private SafeRead() {}

  /** The file's text. */
  static String text(Path path) throws Refused {
    return decode(bytes(path, TOPOLOGY), path.toString(), TOPOLOGY);
  }

  /**
   * What kind of file is read, for the messages: its name with an article ("a topology file"), a
   * hint for when a directory was given, how large it may be and how it is encoded.
   */
  record Kind(String noun, String directoryHint, int maxBytes, String encodingHint) {}

  static final Kind TOPOLOGY =
      new Kind(
          "a topology file",
          "give a topology file such as topologies/ha-cluster.yaml",
          MAX_BYTES,
          "a topology is a UTF-8 YAML file");

  /** The longest a read may take: a regular file on a local disk takes milliseconds. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(2);

  /**
   * The file's bytes: only a regular file, at most {@code kind.maxBytes()}, read within {@link
   * #TIME_LIMIT} (a file on a hung network mount, or one swapped for a FIFO after the check, is
   * given up on rather than waited for).
   */
  static byte[] bytes(Path path, Kind kind) throws Refused {
    String file = path.toString();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw refused(file, "no such file");
    } catch (AccessDeniedException e) {
      throw refused(file, "permission denied");
    } catch (IOException | SecurityException e) {
      throw refused(file, "cannot read the file (" + e.getMessage() + ")");
    }
    if (a.isDirectory()) {
      throw refused(file, "is a directory; " + kind.directoryHint());
    }
    if (!a.isRegularFile()) {
      throw refused(file, "is not a regular file (a device, FIFO or socket); give " + kind.noun());
    }
    if (a.size() > kind.maxBytes()) {
      throw refused(
          file,
          "is " + size(a.size()) + "; " + kind.noun() + " is at most " + size(kind.maxBytes()));
    }
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .name("read " + path.getFileName())
            .start(
                () -> {
                  // The size can change between the check and the read (or lie, as in /proc):
                  // read one more byte than allowed, never the whole file.
                  try (InputStream in = Files.newInputStream(path)) {
                    read.complete(in.readNBytes(kind.maxBytes() + 1));
                  } catch (IOException | RuntimeException e) {
                    read.completeExceptionally(e);
                  }
                });
    byte[] bytes;
    try {
      bytes = read.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The reader is a daemon thread: if the read never returns, it does not keep webinfra up.
      reader.interrupt();
      throw refused(
          file, "could not be read within " + TIME_LIMIT.toSeconds() + " s; give " + kind.noun());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refused(file, "reading it was interrupted");
    } catch (ExecutionException e) {
      throw refused(file, "cannot read the file (" + e.getCause().getMessage() + ")");
    }
    if (bytes.length > kind.maxBytes()) {
      throw refused(
          file,
          "is larger than " + size(kind.maxBytes()) + ", the most " + kind.noun() + " may be");
    }
    return bytes;
  }

  /** Strict UTF-8; the first malformed byte is reported with its line and column. */
  static String decode(byte[] bytes, String file) throws Refused {
    return decode(bytes, file, TOPOLOGY);
  }

  /** Strict UTF-8, as {@link #decode(byte[], String)}, naming what {@code kind} of file it is. */
  static String decode(byte[] bytes, String file, Kind kind) throws Refused {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = dec.decode(in, out, true);
    if (!r.isError()) {
      r = dec.flush(out);
    }
    if (r.isError()) {
      out.flip();
      int line = 1;
      int column = 1;
      while (out.hasRemaining()) {
        char c = out.get();
        if (c == '\n') {
          line++;
          column = 1;
        } else if (!Character.isLowSurrogate(c)) {
          column++;
        }
      }
      throw new Refused(
          new Problem(
              file,
              line,
              column,
              "",
              String.format(
                  Locale.ROOT,
                  "not UTF-8 text: byte 0x%02x at offset %d is not valid UTF-8; %s",
                  bytes[in.position()] & 0xff,
                  in.position(),
                  kind.encodingHint())));
    }
    out.flip();
    return out.toString();
  }

  private static Refused refused(String file, String message) {
    return new Refused(Problem.ofFile(file, message));
  }

  private static String size(long bytes) {
    return bytes >= 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024))
        : String.format(Locale.ROOT, "%d KiB", (bytes + 1023) / 1024);
  }
}
