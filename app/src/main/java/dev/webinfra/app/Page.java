package dev.webinfra.app;

import java.util.List;

/** The guestbook's HTML page; everything a visitor wrote is escaped. */
final class Page {
  private Page() {}

  /**
   * A fresh idempotency key for one rendering of the form: 128 random bits, base64url. Sending the
   * form twice (a double click, a retry) then writes once.
   */
  static String newKey() {
    return IdempotencyKey.random().value();
  }

  /**
   * The page; {@code formKey} is the form's idempotency key, in its action URL so that HAProxy sees
   * it (and may retry the post) without reading the body.
   */
  static String render(
      String siteName, String host, List<Guestbook.Entry> entries, String notice, String formKey) {
    StringBuilder sb = new StringBuilder(2048);
    sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(siteName))
        .append(" guestbook</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/static/style.css\">\n")
        .append("<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n")
        .append("<header><h1>")
        .append(esc(siteName))
        .append("</h1><p class=\"served\">served by <b>")
        .append(esc(host))
        .append("</b></p></header>\n<main>\n");
    if (notice != null) {
      sb.append("<p class=\"notice\">").append(esc(notice)).append("</p>\n");
    }
    sb.append("<form method=\"post\" action=\"/entries?")
        .append(IdempotencyKey.QUERY)
        .append('=')
        .append(esc(formKey))
        .append("\">\n")
        .append("<input name=\"author\" maxlength=\"64\" placeholder=\"your name\" required>\n")
        .append(
            "<textarea name=\"message\" maxlength=\"500\" placeholder=\"say hello\""
                + " required></textarea>\n")
        .append(
            "<button type=\"submit\">Sign the guestbook</button>\n"
                + "</form>\n"
                + "<ol class=\"entries\">\n");
    for (Guestbook.Entry e : entries) {
      sb.append("<li><b>")
          .append(esc(e.author()))
          .append("</b> <span class=\"msg\">")
          .append(esc(e.message()))
          .append("</span> <small>")
          .append(esc(e.createdAt().toString()))
          .append(" via ")
          .append(esc(e.servedBy()))
          .append("</small></li>\n");
    }
    sb.append("</ol>\n</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
