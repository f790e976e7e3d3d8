package dev.webinfra.topology;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns topology text into a YAML node tree, after {@link Unambiguous} has refused what other
 * readers would read otherwise; YAML that does not parse is one problem, located where it can be.
 */
final class TopologyYaml {
  private TopologyYaml() {}

  /** The node tree ({@code root} null for an empty document), or the problems that stop it. */
  record Composed(Node root, List<Problem> problems) {
    Composed {
      problems = List.copyOf(problems);
    }

    static Composed of(Problem p) {
      return new Composed(null, List.of(p));
    }
  }

  static Composed compose(String text, String source) {
    try {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(SafeRead.MAX_BYTES);
      List<Problem> unclear = Unambiguous.problems(text, source, options);
      if (!unclear.isEmpty()) {
        return new Composed(null, unclear);
      }
      return new Composed(new Yaml(options).compose(new StringReader(text)), List.of());
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what =
          "not valid YAML: "
              + e.getProblem()
              + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
      return Composed.of(
          m == null
              ? Problem.ofFile(source, what)
              : new Problem(source, m.getLine() + 1, m.getColumn() + 1, "", what));
    } catch (ReaderException e) {
      // A character YAML does not allow (a NUL, an escape code): say where, not what it was.
      int[] at = lineAndColumn(text, e.getPosition());
      return Composed.of(
          new Problem(
              source,
              at[0],
              at[1],
              "",
              String.format(
                  Locale.ROOT,
                  "not valid YAML: character U+%04X is not allowed in a topology file",
                  e.getCodePoint())));
    } catch (YAMLException e) {
      return Composed.of(Problem.ofFile(source, "not valid YAML: " + e.getMessage()));
    }
  }

  // 1-based line and column of the code point at index {@code codePoints} (as snakeyaml counts).
  private static int[] lineAndColumn(String text, int codePoints) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int n = 0; n < codePoints && i < text.length(); n++) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
