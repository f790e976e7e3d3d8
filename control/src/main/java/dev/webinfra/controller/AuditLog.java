package dev.webinfra.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every detection and recovery step of the controller, one JSON object a line, to be read back
 * later.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Clock clock;

  public AuditLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Appends one entry: what was found ({@code analysis}) on which host, and what was done. */
  public synchronized void record(String host, String analysis, String action) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("time", clock.instant().toString());
    entry.put("host", host);
    entry.put("analysis", analysis);
    entry.put("action", action);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          JSON.writeValueAsString(entry) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "audit log " + file + ": cannot append: " + e.getMessage(), e);
    }
  }

  /** The entries so far. */
  public List<Map<String, String>> read() {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      List<Map<String, String>> out = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(
              JSON.readValue(
                  line,
                  new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {}));
        }
      }
      return out;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "audit log " + file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
