package dev.webinfra.topology;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Refuses what other readers of a topology could understand differently from webinfra, each with
 * its place and reason: YAML 1.1 versus 1.2 scalars ({@code yes}, {@code on}, {@code 0755}, {@code
 * 1_000}, {@code 1:30}, a date), numbers a double cannot hold, anchors, aliases and merge keys
 * (which also expand to gigabytes: billion laughs), tags, directives, more than one document, tabs,
 * a byte order mark, control characters (also escaped ones), and invisible or bidirectional
 * formatting characters that make an editor show other text than is parsed. It reads the YAML event
 * stream once, in linear time and memory, before anything is composed.
 */
final class Unambiguous {
  /** More problems of this kind would only repeat themselves. */
  static final int MAX_PROBLEMS = 20;

  private final String file;
  private final List<Problem> out = new ArrayList<>();

  private Unambiguous(String file) {
    this.file = file;
  }

  /**
   * The problems of {@code text}; empty when every reader reads it as webinfra does. A syntax error
   * is thrown as the YAML parser's, for the loader to locate.
   */
  static List<Problem> problems(String text, String file, LoaderOptions options) {
    Unambiguous u = new Unambiguous(file);
    u.characters(text);
    if (!u.out.isEmpty()) {
      // A tab or an invisible character can also stop the parser; say the clearer thing only.
      return u.out;
    }
    int documents = 0;
    int depth = 0;
    boolean anchors = false;
    for (Event e : new Yaml(options).parse(new StringReader(text))) {
      if (u.out.size() >= MAX_PROBLEMS) {
        break;
      }
      // The parser slows down with each open level (quadratically past thousands): stop at the
      // composer's own limit instead of reading a million brackets.
      if (e instanceof CollectionStartEvent && ++depth > options.getNestingDepthLimit()) {
        u.add(
            e.getStartMark(),
            "nested more than "
                + options.getNestingDepthLimit()
                + " levels deep; a topology needs 6");
        break;
      }
      if (e instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
        depth--;
      }
      if (e instanceof DocumentStartEvent d) {
        if (++documents > 1) {
          u.add(
              e.getStartMark(),
              "a second YAML document: a topology is one document (readers take the first, the"
                  + " last or all of them); remove the '---' and what follows");
          break;
        }
        if (d.getVersion() != null || (d.getTags() != null && !d.getTags().isEmpty())) {
          u.add(
              e.getStartMark(),
              "a %YAML or %TAG directive changes how readers resolve values; remove it");
        }
      }
      if (e instanceof AliasEvent a) {
        if (anchors) {
          continue;
        }
        anchors = true;
        u.add(
            e.getStartMark(),
            "alias *"
                + Shown.value(a.getAnchor())
                + ": anchors and aliases are not allowed (readers expand them differently, and a"
                + " few lines of them can expand to gigabytes); write the values out");
        continue;
      }
      if (e instanceof NodeEvent n && n.getAnchor() != null && !anchors) {
        anchors = true;
        u.add(
            e.getStartMark(),
            "anchor &"
                + Shown.value(n.getAnchor())
                + ": anchors and aliases are not allowed (readers expand them differently, and a"
                + " few lines of them can expand to gigabytes); write the values out");
      }
      String tag =
          e instanceof ScalarEvent s
              ? s.getTag()
              : e instanceof CollectionStartEvent c ? c.getTag() : null;
      if (tag != null) {
        u.add(
            e.getStartMark(),
            "tag "
                + Shown.value(tag)
                + ": tags are not allowed (readers give them different meanings); remove it, and"
                + " quote the value if it is text");
      }
      if (e instanceof ScalarEvent s) {
        u.scalar(s);
      }
    }
    return u.out.size() > MAX_PROBLEMS ? u.out.subList(0, MAX_PROBLEMS) : u.out;
  }

  private void scalar(ScalarEvent s) {
    String v = s.getValue();
    Mark at = s.getStartMark();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || invisible(c) != null) {
        add(
            at,
            String.format(
                Locale.ROOT,
                "character U+%04X in a value (written as an escape): a value must print as what it"
                    + " is; remove it",
                (int) c));
        return;
      }
    }
    if (!s.isPlain()) {
      return;
    }
    if (v.equals("<<")) {
      add(at, "merge key '<<': readers merge differently, or not at all; write the keys out");
      return;
    }
    if (v.length() > 64
        && Pattern.compile("[-+0-9.eE_:xob]+").matcher(v).matches()
        && v.chars().anyMatch(Character::isDigit)) {
      // Parsing a number of a million digits takes seconds: it is refused from its length.
      add(at, "a number of " + v.length() + " characters: no reader holds it as written; quote it");
      return;
    }
    // Every number, date and special float starts with a digit, a sign or a dot: a word that is no
    // boolean or null is text to every reader, without the patterns (a 1 MiB file has 100 000).
    if (!v.isEmpty()
        && Character.isLetter(v.charAt(0))
        && !ScalarReadings.TRUE_11.contains(v)
        && !ScalarReadings.FALSE_11.contains(v)
        && !ScalarReadings.NULLS.contains(v)) {
      return;
    }
    String as11;
    String as12;
    try {
      as11 = ScalarReadings.yaml11(v);
      as12 = ScalarReadings.yaml12(v);
    } catch (NumberFormatException | ArithmeticException e) {
      add(
          at,
          "'" + Shown.value(v) + "' looks like a number that readers parse differently; quote it");
      return;
    }
    if (!as11.equals(as12)) {
      add(
          at,
          "'"
              + Shown.value(v)
              + "' is "
              + as11
              + " to YAML 1.1 readers (PyYAML, Ansible, Go yaml.v2) but "
              + as12
              + " to YAML 1.2 ones; "
              + (as11.startsWith("the boolean")
                  ? "quote it if you mean the text, or write true or false"
                  : "write the number in decimal without leading zeros, '_' or ':', or quote it"
                      + " if you mean the text"));
      return;
    }
    ScalarReadings.lostPrecision(v, as12).ifPresent(m -> add(at, "'" + Shown.value(v) + "' " + m));
  }

  // Characters that are refused wherever they are, before the YAML is parsed.
  private void characters(String text) {
    int line = 1;
    int column = 1;
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < text.length() && out.size() < MAX_PROBLEMS; i++) {
      char c = text.charAt(i);
      String why =
          c == '\t'
              ? "a tab: YAML forbids tabs in indentation and readers treat them differently"
                  + " elsewhere; use spaces"
              : c == '\uFEFF'
                  ? "a byte order mark (U+FEFF): readers differ on it; save the file as UTF-8"
                      + " without BOM"
                  : c == '\u0085' || c == '\u2028' || c == '\u2029'
                      ? String.format(
                          Locale.ROOT,
                          "character U+%04X is a line break to YAML 1.1 readers and not to YAML 1.2"
                              + " ones; remove it",
                          (int) c)
                      : invisible(c);
      if (why != null && seen.add(why)) {
        out.add(new Problem(file, line, column, "", why));
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c)) {
        column++;
      }
    }
  }

  // Formatting characters that an editor does not show, or that reorder what it shows (Trojan
  // Source, CVE-2021-42574): the file would read otherwise than it parses.
  private static String invisible(char c) {
    boolean bidi =
        (c >= '\u202A' && c <= '\u202E')
            || (c >= '\u2066' && c <= '\u2069')
            || c == '\u200E'
            || c == '\u200F'
            || c == '\u061C';
    boolean zeroWidth = (c >= '\u200B' && c <= '\u200D') || c == '\u2060';
    if (!bidi && !zeroWidth) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "character U+%04X is %s: the file would read otherwise than it is parsed; remove it",
        (int) c,
        bidi ? "a bidirectional control" : "invisible");
  }

  private void add(Mark m, String message) {
    out.add(new Problem(file, m.getLine() + 1, m.getColumn() + 1, "", message));
  }
}
