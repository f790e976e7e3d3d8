package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Durations;
import dev.webinfra.topology.Problems;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.YamlNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads a chaos scenario and validates it once, against the preset it names: every problem gives
 * file:line:col, the field and what is allowed, and any problem stops chaos (exit 2) before a fault
 * is injected.
 */
public final class ScenarioLoader {
  private static final Set<String> TOP = Set.of("preset", "load", "faults");
  private static final Set<String> LOAD = Set.of("rate", "writes", "duration");

  private ScenarioLoader() {}

  /** Loads the scenario at {@code path}; {@code presets} gives a preset's topology by name. */
  public static Scenario load(Path path, Function<String, Optional<Topology>> presets) {
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString(), presets);
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "scenario " + path + ": cannot read the file: " + e.getMessage(), e);
    }
  }

  /** Parses and validates scenario text; {@code source} names it in messages. */
  public static Scenario parse(
      String text, String source, Function<String, Optional<Topology>> presets) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where =
          m == null ? source : source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      throw WebinfraException.invalidInput(
          "scenario " + source + " is not valid YAML:\n  " + where + ": " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw WebinfraException.invalidInput(
          "scenario " + source + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      throw WebinfraException.invalidInput(
          "scenario " + source + " is empty; it needs preset, load and faults");
    }
    Problems problems = new Problems("scenario", source);
    YamlNode r = new YamlNode(root, "", problems);
    Map<String, YamlNode> top = r.mapping(TOP).orElse(Map.of());
    Optional<Topology> preset = Optional.empty();
    String presetName = "";
    if (required(r, top, "preset")) {
      YamlNode p = top.get("preset");
      presetName = p.string().orElse("");
      preset = presetName.isEmpty() ? Optional.empty() : presets.apply(presetName);
      if (!presetName.isEmpty() && preset.isEmpty()) {
        p.problem("no preset '" + presetName + "' in topologies/ (ha-cluster, three-servers, …)");
      }
    }
    Scenario.Load load = new Scenario.Load(100, 10, Duration.ofSeconds(30));
    if (required(r, top, "load")) {
      load = load(top.get("load"), load);
    }
    List<FaultSpec> faults = new ArrayList<>();
    if (required(r, top, "faults")) {
      List<YamlNode> items = top.get("faults").sequence().orElse(List.of());
      if (items.isEmpty()) {
        top.get("faults").problem("a scenario needs at least one fault");
      }
      Set<String> names = new HashSet<>();
      for (YamlNode item : items) {
        Optional<FaultSpec> f = new FaultReader(item, preset).read();
        if (f.isPresent() && !names.add(f.get().name())) {
          item.problem("fault name '" + f.get().name() + "' is used twice");
        }
        f.ifPresent(faults::add);
      }
    }
    for (FaultSpec f : faults) {
      if (f.end().compareTo(load.duration()) > 0) {
        top.get("load")
            .problem(
                "duration "
                    + load.duration().toSeconds()
                    + " s ends before fault '"
                    + f.name()
                    + "' is undone at "
                    + f.end().toMillis() / 1000.0
                    + " s; make it longer");
        break;
      }
    }
    problems.throwIfAny();
    return new Scenario(source, presetName, load, faults);
  }

  private static Scenario.Load load(YamlNode n, Scenario.Load d) {
    Map<String, YamlNode> m = n.mapping(LOAD).orElse(Map.of());
    int rate = m.containsKey("rate") ? m.get("rate").integer(1, 20_000).orElse(d.rate()) : d.rate();
    int writes =
        m.containsKey("writes") ? m.get("writes").integer(0, 100).orElse(d.writePercent()) : 10;
    Duration duration = d.duration();
    if (required(n, m, "duration")) {
      duration = duration(m.get("duration"), Duration.ofSeconds(1)).orElse(duration);
    }
    return new Scenario.Load(rate, writes, duration);
  }

  static boolean required(YamlNode parent, Map<String, YamlNode> m, String key) {
    if (!m.containsKey(key)) {
      parent.problem("missing required field '" + key + "'");
      return false;
    }
    return true;
  }

  /** A duration in {@link Durations}' grammar, at least {@code min}. */
  static Optional<Duration> duration(YamlNode n, Duration min) {
    Optional<String> s = n.string();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> d = Durations.parse(s.get());
    if (d.isEmpty()) {
      n.problem(Durations.notADuration(s.get()));
      return Optional.empty();
    }
    if (d.get().compareTo(min) < 0) {
      n.problem("must be at least " + min.toMillis() + " ms, was '" + s.get() + "'");
      return Optional.empty();
    }
    return d;
  }
}
