package dev.webinfra.setup;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root, which the lab needs for namespaces, bridges and daemons. */
public final class Privileges {
  private Privileges() {}

  /** The effective user id, read from /proc so that no native call is needed. */
  public static int effectiveUid() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .map(l -> Integer.parseInt(l.split("\\s+")[2]))
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Fails in one clear line when not root. */
  public static void requireRoot(String verb) {
    if (effectiveUid() != 0) {
      throw WebinfraException.unexpectedState(
          verb
              + " needs root (it creates network namespaces, bridges and daemons); run it as root,"
              + " e.g. sudo ./webinfra "
              + verb);
    }
  }
}
