package dev.webinfra.host;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 address a link holds, as {@code ip -o -4 addr show} lists it: the link's name and the
 * address without its prefix length.
 */
public record Inet(String link, String address) {
  /** Every address of {@code ip -o -4 addr show}'s output, in its order. */
  public static List<Inet> parse(String ipOutput) {
    List<Inet> out = new ArrayList<>();
    for (String line : ipOutput.lines().toList()) {
      String[] w = line.trim().split("\\s+");
      for (int i = 0; i + 1 < w.length; i++) {
        if (w[i].equals("inet") && w.length > 1) {
          out.add(new Inet(w[1], w[i + 1].split("/")[0]));
        }
      }
    }
    return out;
  }
}
