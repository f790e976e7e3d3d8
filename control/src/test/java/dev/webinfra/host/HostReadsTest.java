package dev.webinfra.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pass over a host's files asks for them together once, then answers from what it knows. */
class HostReadsTest {
  final Map<Path, String> files = new HashMap<>();
  final List<String> asked = new ArrayList<>();

  @Test
  void theFilesToReadAreAskedForInOneGoAndNeverAgain() {
    Path a = Path.of("/etc/webinfra/a");
    Path b = Path.of("/etc/webinfra/b");
    files.put(a, "alpha\n");
    HostReads reads = new HostReads(driver(), "web1").prefetch(List.of(a, b, a));
    assertThat(asked).containsExactly("readFiles web1 [/etc/webinfra/a, /etc/webinfra/b]");
    assertThat(reads.read(a)).contains("alpha\n");
    assertThat(reads.read(b)).isEmpty();
    reads.prefetch(List.of(a, b));
    assertThat(asked).as("nothing asked again").hasSize(1);
    // A file not read ahead is read when asked, once.
    Path c = Path.of("/etc/webinfra/c");
    files.put(c, "gamma");
    assertThat(reads.read(c)).contains("gamma");
    assertThat(reads.read(c)).contains("gamma");
    assertThat(asked)
        .containsExactly(
            "readFiles web1 [/etc/webinfra/a, /etc/webinfra/b]", "readFile web1 /etc/webinfra/c");
  }

  @Test
  void theFilesThatDifferAreWrittenInOneGoAndThenKnownAsWritten() {
    Path a = Path.of("/etc/webinfra/a");
    Path b = Path.of("/etc/webinfra/b");
    Path c = Path.of("/etc/webinfra/c");
    files.put(a, "same");
    files.put(c, "old");
    HostReads reads = new HostReads(driver(), "web1");
    List<HostDriver.FileWrite> writes =
        List.of(
            new HostDriver.FileWrite(a, "same", "rw-r--r--", null),
            new HostDriver.FileWrite(b, "new", "rw-------", "app"),
            new HostDriver.FileWrite(c, "changed", "rw-r--r--", null));
    assertThat(reads.writeChanged(writes)).isTrue();
    assertThat(reads.read(b)).contains("new");
    assertThat(reads.writeChanged(writes)).as("known as written").isFalse();
    assertThat(reads.writeChanged(List.of())).isFalse();
    assertThat(asked)
        .containsExactly(
            "readFiles web1 [/etc/webinfra/a, /etc/webinfra/b, /etc/webinfra/c]",
            "writeFiles web1 [/etc/webinfra/b rw------- app, /etc/webinfra/c rw-r--r-- null]");
    assertThat(files).containsEntry(b, "new").containsEntry(c, "changed");
  }

  // A host that is a map of files: the reads and writes only; anything else fails the test.
  private HostDriver driver() {
    return (HostDriver)
        Proxy.newProxyInstance(
            HostDriver.class.getClassLoader(),
            new Class<?>[] {HostDriver.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "readFile" -> {
                    asked.add("readFile " + args[0] + " " + args[1]);
                    yield Optional.ofNullable(files.get((Path) args[1]));
                  }
                  case "readFiles" -> {
                    asked.add("readFiles " + args[0] + " " + args[1]);
                    Map<Path, Optional<String>> out = new LinkedHashMap<>();
                    @SuppressWarnings("unchecked")
                    List<Path> paths = (List<Path>) args[1];
                    paths.forEach(p -> out.put(p, Optional.ofNullable(files.get(p))));
                    yield out;
                  }
                  case "writeFiles" -> {
                    @SuppressWarnings("unchecked")
                    List<HostDriver.FileWrite> ws = (List<HostDriver.FileWrite>) args[1];
                    asked.add(
                        "writeFiles "
                            + args[0]
                            + " "
                            + ws.stream()
                                .map(w -> w.path() + " " + w.mode() + " " + w.owner())
                                .toList());
                    ws.forEach(w -> files.put(w.path(), w.content()));
                    yield null;
                  }
                  default -> throw new AssertionError("unexpected " + method.getName());
                });
  }
}
