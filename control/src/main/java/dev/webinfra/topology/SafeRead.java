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
import java.util.Locale;

/**
 * Reads a topology file defensively: only a regular file, at most {@link #MAX_BYTES}, decoded
 * strictly as UTF-8. A device ({@code /dev/zero}), a FIFO or a directory is refused from its
 * attributes, before it is opened, so nothing can hang or fill the memory.
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
    String file = path.toString();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw refused(file, "no such file");
    } catch (AccessDeniedException e) {
      throw refused(file, "permission denied");
    } catch (IOException e) {
      throw refused(file, "cannot read the file (" + e.getMessage() + ")");
    }
    if (a.isDirectory()) {
      throw refused(
          file, "is a directory; give a topology file such as topologies/ha-cluster.yaml");
    }
    if (!a.isRegularFile()) {
      throw refused(file, "is not a regular file (a device, FIFO or socket); give a topology file");
    }
    if (a.size() > MAX_BYTES) {
      throw refused(
          file, "is " + size(a.size()) + "; a topology file is at most " + size(MAX_BYTES));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // The size can change between the check and the read (or lie, as in /proc): read one more
      // byte than allowed, never the whole file.
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw refused(file, "cannot read the file (" + e.getMessage() + ")");
    }
    if (bytes.length > MAX_BYTES) {
      throw refused(
          file, "is larger than " + size(MAX_BYTES) + ", the most a topology file may be");
    }
    return decode(bytes, file);
  }

  /** Strict UTF-8; the first malformed byte is reported with its line and column. */
  static String decode(byte[] bytes, String file) throws Refused {
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
                  "not UTF-8 text: byte 0x%02x at offset %d is not valid UTF-8; a topology is a"
                      + " UTF-8 YAML file",
                  bytes[in.position()] & 0xff,
                  in.position())));
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
