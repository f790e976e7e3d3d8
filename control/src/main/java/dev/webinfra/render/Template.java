package dev.webinfra.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config template from {@code templates/<daemon>/<file>.tmpl}: {@code {{name}}} placeholders
 * filled from a map. A placeholder without a value, or a value without a placeholder, is a bug and
 * fails.
 */
public final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private final String name;
  private final String text;

  private Template(String name, String text) {
    this.name = name;
    this.text = text;
  }

  /** Loads a template from the classpath. */
  public static Template load(String name) {
    String resource = "/templates/" + name + ".tmpl";
    try (InputStream in = Template.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("template " + resource + " is missing from the classpath");
      }
      return new Template(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("template " + resource, e);
    }
  }

  /**
   * A placeholder map from alternating names and values, for templates with more than ten
   * placeholders.
   */
  public static Map<String, String> vars(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("template vars: a name without a value");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return out;
  }

  /** Fills every placeholder. */
  public String render(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    java.util.Set<String> used = new java.util.HashSet<>();
    while (m.find()) {
      String key = m.group(1);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalStateException("template " + name + ": no value for {{" + key + "}}");
      }
      used.add(key);
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!used.containsAll(values.keySet())) {
      java.util.Set<String> unused = new java.util.TreeSet<>(values.keySet());
      unused.removeAll(used);
      throw new IllegalStateException(
          "template " + name + ": values given but not used: " + unused);
    }
    return out.toString();
  }
}
