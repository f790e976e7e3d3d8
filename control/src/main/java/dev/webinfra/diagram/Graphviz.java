package dev.webinfra.diagram;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Lays out DOT source with Graphviz's {@code dot} (Debian package graphviz) into SVG or PNG. */
public final class Graphviz {
  private Graphviz() {}

  /** Whether {@code dot} can be run here. */
  public static boolean available() {
    try {
      return Shell.run(List.of("dot", "-V"), null, Duration.ofSeconds(10)).ok();
    } catch (WebinfraException e) {
      return false;
    }
  }

  /** Writes {@code dot} to {@code out} in the format its extension names: .svg, .png or .dot. */
  public static void write(String dot, Path out) {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    String format =
        name.endsWith(".svg")
            ? "svg"
            : name.endsWith(".png") ? "png" : name.endsWith(".dot") ? "dot" : null;
    if (format == null) {
      throw WebinfraException.invalidInput(
          "diagram -o " + out + ": the file must end in .svg, .png or .dot");
    }
    try {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      if (format.equals("dot")) {
        Files.writeString(out, dot);
        return;
      }
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "diagram -o " + out + ": cannot write: " + e.getMessage(), e);
    }
    if (!available()) {
      throw WebinfraException.unexpectedState(
          "diagram: Graphviz's dot is not installed; install the Debian package graphviz"
              + " (apt-get install graphviz), or write the source with -o FILE.dot");
    }
    // 110 dpi keeps a PNG of ha-cluster legible and under a few hundred KB.
    ExecResult r =
        Shell.run(
            List.of("dot", "-T" + format, "-Gdpi=110", "-o", out.toString()),
            dot,
            Duration.ofSeconds(60));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("diagram: Graphviz failed: " + r.describe());
    }
  }
}
