package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A composed YAML node with its dotted field path and file location, so that every check on it can
 * report exactly where the problem is. Type errors are recorded in {@link Problems} and give empty.
 */
public final class YamlNode {
  private final Node node;
  private final String path;
  private final Problems problems;

  public YamlNode(Node node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** The dotted path of this node, such as {@code hosts.web1.roles[0]}. */
  public String path() {
    return path;
  }

  /** Where this node's problems are collected. */
  public Problems problems() {
    return problems;
  }

  /** {@code file:line:column}, 1-based. */
  public String location() {
    return problems.file()
        + ":"
        + (node.getStartMark().getLine() + 1)
        + ":"
        + (node.getStartMark().getColumn() + 1);
  }

  public void problem(String message) {
    problem(path, message);
  }

  /** A problem located at this node but concerning {@code field}, such as a missing child. */
  void problem(String field, String message) {
    problems.add(
        new Problem(
            problems.file(),
            node.getStartMark().getLine() + 1,
            node.getStartMark().getColumn() + 1,
            field,
            message));
  }

  public boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
  }

  /**
   * The mapping's values under {@code key}, looked at without reporting anything (a later read
   * reports what is wrong): none when it is not a mapping or has no such key.
   */
  public List<YamlNode> peek(String key) {
    List<YamlNode> out = new ArrayList<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          out.add(
              new YamlNode(t.getValueNode(), path.isEmpty() ? key : path + "." + key, problems));
        }
      }
    }
    return out;
  }

  /** The mapping's values, looked at without reporting anything: none when it is not a mapping. */
  public List<YamlNode> peekValues() {
    List<YamlNode> out = new ArrayList<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          out.add(
              new YamlNode(
                  t.getValueNode(),
                  path.isEmpty() ? k.getValue() : path + "." + k.getValue(),
                  problems));
        }
      }
    }
    return out;
  }

  /** The entries of a mapping in file order, reporting duplicate keys; empty when not a mapping. */
  public Optional<Map<String, YamlNode>> mapping() {
    if (!(node instanceof MappingNode m)) {
      problem("expected a mapping (key: value), found " + describe());
      return Optional.empty();
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        new YamlNode(t.getKeyNode(), path, problems).problem("keys must be plain names");
        continue;
      }
      String key = k.getValue();
      String childPath = path.isEmpty() ? key : path + "." + key;
      if (out.containsKey(key)) {
        new YamlNode(k, childPath, problems)
            .problem(
                "duplicate key '"
                    + Shown.value(key)
                    + "' (first at "
                    + out.get(key).location()
                    + ")");
        continue;
      }
      out.put(key, new YamlNode(t.getValueNode(), childPath, problems));
    }
    return Optional.of(out);
  }

  /** A mapping whose keys must come from {@code allowed}; unknown keys are reported. */
  public Optional<Map<String, YamlNode>> mapping(Set<String> allowed) {
    Optional<Map<String, YamlNode>> m = mapping();
    m.ifPresent(
        entries ->
            entries.forEach(
                (k, v) -> {
                  if (!allowed.contains(k)) {
                    v.problem(
                        "unknown field '"
                            + Shown.value(k)
                            + "'; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                  }
                }));
    return m;
  }

  /** The items of a sequence; empty when not a sequence. */
  public Optional<List<YamlNode>> sequence() {
    if (!(node instanceof SequenceNode s)) {
      problem("expected a list, found " + describe());
      return Optional.empty();
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < s.getValue().size(); i++) {
      out.add(new YamlNode(s.getValue().get(i), path + "[" + i + "]", problems));
    }
    return Optional.of(out);
  }

  /**
   * The items of a sequence of at most {@code max}; a longer one is one problem (naming {@code
   * what} it holds and why there are no more), not one problem an item, and is read no further.
   */
  public Optional<List<YamlNode>> sequence(int max, String what) {
    if (node instanceof SequenceNode s && s.getValue().size() > max) {
      problem("a list of " + s.getValue().size() + " items; at most " + max + " " + what);
      return Optional.empty();
    }
    return sequence();
  }

  /** The number of items of a sequence, 0 for anything else. */
  public int size() {
    return node instanceof SequenceNode s ? s.getValue().size() : 0;
  }

  /**
   * {@link #strings()}, with a list of at most {@code max} (see {@link #sequence(int, String)}).
   */
  public Optional<List<String>> strings(int max, String what) {
    if (node instanceof SequenceNode s && s.getValue().size() > max) {
      return sequence(max, what).map(x -> List.of());
    }
    return strings();
  }

  /** A scalar's text; empty when not a scalar. */
  public Optional<String> string() {
    if (!(node instanceof ScalarNode s) || isNull()) {
      problem("expected a value, found " + describe());
      return Optional.empty();
    }
    return Optional.of(s.getValue());
  }

  /** An integer within {@code [min, max]}. */
  public Optional<Integer> integer(int min, int max) {
    Optional<String> s = string();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      int v = Integer.parseInt(s.get().trim());
      if (v < min || v > max) {
        problem("must be between " + min + " and " + max + ", was " + v);
        return Optional.empty();
      }
      return Optional.of(v);
    } catch (NumberFormatException e) {
      problem(
          "expected a whole number between "
              + min
              + " and "
              + max
              + ", found '"
              + Shown.value(s.get())
              + "'");
      return Optional.empty();
    }
  }

  /** {@code true} or {@code false}. */
  public Optional<Boolean> bool() {
    Optional<String> s = string();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    return switch (s.get()) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> {
        problem("expected true or false, found '" + Shown.value(s.get()) + "'");
        yield Optional.empty();
      }
    };
  }

  /** A string from a fixed set of choices. */
  public Optional<String> choice(Set<String> allowed) {
    Optional<String> s = string();
    if (s.isPresent() && !allowed.contains(s.get())) {
      problem(
          "'"
              + Shown.value(s.get())
              + "' is not allowed; allowed: "
              + String.join(", ", allowed.stream().sorted().toList()));
      return Optional.empty();
    }
    return s;
  }

  /** A list of strings; a single scalar is read as a one-item list. */
  public Optional<List<String>> strings() {
    if (node instanceof ScalarNode && !isNull()) {
      return string().map(List::of);
    }
    return sequence().map(items -> items.stream().flatMap(i -> i.string().stream()).toList());
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isNull() ? "nothing" : "'" + Shown.value(((ScalarNode) node).getValue()) + "'";
  }
}
