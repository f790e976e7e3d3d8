package dev.webinfra.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What defines a running daemon, in a form that can be kept beside it and compared: its whole
 * command line ({@link DaemonSpec#commandLine()}: user, directory and environment included) and a
 * digest of every file it reads. Two daemons with equal fingerprints are the same.
 *
 * @param command the command line
 * @param files each file's path and the SHA-256 of its content
 */
public record Fingerprint(List<String> command, Map<String, String> files) {
  public Fingerprint {
    command = List.copyOf(command);
    files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
  }

  /** The fingerprint of {@code spec}, given the digests of the files the apply step supplies. */
  public static Fingerprint of(DaemonSpec spec, Map<Path, String> suppliedDigests) {
    Map<String, String> files = new TreeMap<>();
    for (RenderedFile f : spec.files()) {
      files.put(f.path().toString(), sha256(f.content()));
    }
    suppliedDigests.forEach((p, d) -> files.put(p.toString(), d));
    return new Fingerprint(spec.commandLine(), files);
  }

  /** This fingerprint with the digests of {@code rendered} in place of the old ones. */
  public Fingerprint withRendered(List<RenderedFile> rendered) {
    Map<String, String> f = new TreeMap<>(files);
    rendered.forEach(r -> f.put(r.path().toString(), sha256(r.content())));
    return new Fingerprint(command, f);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Where a supervisor keeps the fingerprint of {@code daemon} it started, on its host. */
  public static Path file(dev.webinfra.host.HostPaths paths, String daemon) {
    return paths.run().resolve("wi-" + daemon + ".fingerprint.json");
  }

  /** This fingerprint as the JSON kept beside its daemon. */
  public String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a fingerprint is plain data", e);
    }
  }

  /** A fingerprint from its JSON; empty if the text is not one. */
  public static Optional<Fingerprint> parse(String json) {
    try {
      return Optional.of(JSON.readValue(json, Fingerprint.class));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** The SHA-256 of a text, in hex. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of bytes, in hex. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  /** The SHA-256 of a file, read in blocks so that a large one is never held whole, in hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md = newSha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A new SHA-256 digest, for a value digested in parts. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Whether the command lines are the same, so only files differ. */
  public boolean sameCommand(Fingerprint other) {
    return command.equals(other.command);
  }

  /**
   * Why this fingerprint differs from {@code old}, one reason per change: {@code command line:
   * -Xmx128m -> -Xmx96m}, {@code haproxy.cfg changed}. Empty when they are equal.
   */
  public List<String> changesFrom(Fingerprint old) {
    List<String> out = new ArrayList<>();
    if (!command.equals(old.command)) {
      List<String> removed = new ArrayList<>(old.command);
      removed.removeAll(command);
      List<String> added = new ArrayList<>(command);
      added.removeAll(old.command);
      out.add(
          "command line: "
              + (removed.isEmpty() ? "(order)" : String.join(" ", removed))
              + " -> "
              + (added.isEmpty() ? "(order)" : String.join(" ", added)));
    }
    for (Map.Entry<String, String> e : files.entrySet()) {
      String before = old.files.get(e.getKey());
      String name = Path.of(e.getKey()).getFileName().toString();
      if (before == null) {
        out.add(name + " is new");
      } else if (!Objects.equals(before, e.getValue())) {
        out.add(name + " changed");
      }
    }
    old.files.keySet().stream()
        .filter(k -> !files.containsKey(k))
        .forEach(k -> out.add(Path.of(k).getFileName() + " is no longer used"));
    return out;
  }
}
