package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless Chromium, for tests of pages: the DOM after scripts ran, or a screenshot. */
public final class Chromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private final Path dir;

  public Chromium(Path dir) {
    this.dir = dir;
  }

  /** Whether Debian's chromium is installed. */
  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * The DOM of {@code url} once its scripts ran. Headless Chromium on a loaded machine now and then
   * prints an empty DOM; a page that is really missing something fails all three tries.
   */
  public String dom(String url) throws Exception {
    String dom = "";
    for (int i = 0; i < 3 && dom.isBlank(); i++) {
      dom = run(List.of("--dump-dom", url));
    }
    return dom;
  }

  /** A screenshot of {@code url} into {@code png}. */
  public void screenshot(String url, Path png) throws Exception {
    run(List.of("--screenshot=" + png, "--window-size=1400,1000", url));
  }

  private String run(List<String> args) throws Exception {
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
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                // The lab CA is not in Chromium's store; the callers check the chain with curl
                // or DashboardServerTest.
                "--ignore-certificate-errors",
                // Lets the page's fetches and first refreshes finish before the DOM or shot is
                // taken.
                "--virtual-time-budget=15000"));
    cmd.addAll(args);
    Path err = dir.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s");
    }
    assertThat(p.exitValue()).as("chromium exit code; stderr:\n%s", Files.readString(err)).isZero();
    if (out.isBlank()) {
      List<String> lines = Files.readAllLines(err);
      System.err.println(
          "chromium printed nothing; its last stderr lines:\n  "
              + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
    }
    return out;
  }
}
