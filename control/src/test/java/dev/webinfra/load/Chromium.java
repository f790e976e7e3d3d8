package dev.webinfra.load;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium for tests: loads a local file, runs its scripts, hands back the DOM. */
public final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");

  private Chromium() {}

  /** Skips the calling test unless Chromium is installed. */
  public static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(BINARY),
        "headless Chromium is not installed (apt-get install -y chromium; ./test installs it)");
  }

  /** The DOM of {@code html} after its scripts ran; a screenshot of it goes to {@code png}. */
  public static String render(Path html, Path png) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("webinfra-chromium-");
    String dom = run(html, profile, "--dump-dom", "--virtual-time-budget=5000");
    run(html, profile, "--screenshot=" + png, "--window-size=1200,900");
    return dom;
  }

  private static String run(Path html, Path profile, String... extra)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--user-data-dir=" + profile));
    cmd.addAll(List.of(extra));
    cmd.add(html.toUri().toString());
    Path out = Files.createTempFile("webinfra-chromium-", ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("chromium did not finish within 120 s: " + cmd);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
