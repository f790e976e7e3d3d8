package dev.webinfra.topology;

/**
 * Makes text from a topology file safe to print: control and formatting characters escaped, and
 * values capped, so that an error message can neither drive the terminal nor run to megabytes.
 */
public final class Shown {
  /** The most characters of one echoed value. */
  public static final int MAX_VALUE = 80;

  /** The most characters of one message line. */
  public static final int MAX_LINE = 400;

  private Shown() {}

  /** A value as it may appear inside a message: escaped and cut to {@link #MAX_VALUE}. */
  public static String value(String s) {
    return cut(escape(s), MAX_VALUE);
  }

  /** A whole message line: escaped and cut to {@link #MAX_LINE}. */
  public static String line(String s) {
    return cut(escape(s), MAX_LINE);
  }

  /** Each line of a multi-line message made safe by {@link #line}; the line breaks are kept. */
  public static String lines(String s) {
    StringBuilder sb = new StringBuilder();
    s.lines().forEach(l -> sb.append(sb.isEmpty() ? "" : "\n").append(line(l)));
    return sb.toString();
  }

  /** Control, formatting (bidi overrides) and unpaired surrogate characters as escapes. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 4 * MAX_LINE));
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.UNASSIGNED) {
        sb.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u{%x}", cp));
      } else {
        sb.appendCodePoint(cp);
      }
      // Nothing past the longest line is ever shown: stop escaping a 2 MB value early.
      if (sb.length() > 4 * MAX_LINE) {
        sb.append("…");
        break;
      }
    }
    return sb.toString();
  }

  private static String cut(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }
}
