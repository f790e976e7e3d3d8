package dev.webinfra.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands out the integration tests' labs: each lab's name, its preset and the first of its /24s in
 * 198.19.0.0/16, in one table, so that no two tests share an address (LabRangesTest checks it). The
 * preset's /24s in 198.18.0.0/16 move, in order, to consecutive /24s from there.
 */
public final class LabRanges {
  /**
   * A lab of the table: a preset renamed to {@code lab}, moved to 198.19.{@code first}.0/24 on. A
   * shared lab serves every IT class that names it, one after the other (see {@link LabExtension});
   * any other lab serves one class and goes with it.
   */
  record Lab(String lab, String preset, int first, boolean shared) {}

  /** Every IT's lab, by name. */
  static final Map<String, Lab> LABS =
      Map.ofEntries(
          lab("itsingle", "single-server.yaml", 10),
          lab("itkill", "single-server.yaml", 11),
          lab("itthree", "three-servers.yaml", 30),
          lab("itfail", "secured-monitored.yaml", 46),
          lab("itplan", "single-server.yaml", 206),
          // The second stream's ha-cluster (LabClassOrder): AlertsIT first, whose page count wants
          // a lab no fault has touched (LabTest#fresh), then DnsRedundancyIT and VipIT, beside the
          // first stream's classes on itpool.
          shared("itside", "ha-cluster.yaml", 150),
          // Not a lab: SshTestbedIT's booted machines, at ha-cluster's addresses moved here.
          lab("ittb", "ha-cluster.yaml", 130),
          // One ha-cluster for the seven classes of the first stream: each finds it healed
          // (LabFixture#heal: 4 s, 16 after a power cut) instead of a lab of its own (25 s).
          // HaClusterIT goes first, on a lab no fault has touched (its causal read assumes each
          // app writes to its own Galera member, which a member's earlier power cut can change);
          // AppsIT goes last, and its last test takes the lab down and finds nothing left.
          shared("itpool", "ha-cluster.yaml", 90));

  private static final Pattern PRESET_NET = Pattern.compile("198\\.18\\.(\\d+)\\.");
  private static final Pattern PRESET_LAB = Pattern.compile("(?m)^lab: (\\S+)$");

  private LabRanges() {}

  private static Map.Entry<String, Lab> lab(String lab, String preset, int first) {
    return Map.entry(lab, new Lab(lab, preset, first, false));
  }

  private static Map.Entry<String, Lab> shared(String lab, String preset, int first) {
    return Map.entry(lab, new Lab(lab, preset, first, true));
  }

  /** Whether the table's lab {@code lab} is shared among IT classes. */
  static boolean shared(String lab) {
    return LABS.containsKey(lab) && LABS.get(lab).shared();
  }

  /** The fixture of the table's lab {@code lab}; fails if the table has no such lab. */
  public static LabFixture fixture(String lab) {
    Lab l = LABS.get(lab);
    if (l == null) {
      throw new IllegalArgumentException(
          "lab " + lab + ": not in LabRanges.LABS; add it there with a range of its own");
    }
    String text = presetText(l.preset());
    Matcher presetLab = PRESET_LAB.matcher(text);
    if (!presetLab.find()) {
      throw new IllegalStateException("preset " + l.preset() + ": no 'lab:' line");
    }
    List<Integer> from = presetNets(l.preset());
    int[] fromTo = new int[from.size() * 2];
    for (int i = 0; i < from.size(); i++) {
      fromTo[2 * i] = from.get(i);
      fromTo[2 * i + 1] = l.first() + i;
    }
    return LabFixture.of(l.preset(), presetLab.group(1), lab, fromTo);
  }

  /** The third bytes of the /24s of 198.18.0.0/16 that {@code preset} uses, in order. */
  static List<Integer> presetNets(String preset) {
    TreeSet<Integer> nets = new TreeSet<>();
    Matcher m = PRESET_NET.matcher(presetText(preset));
    while (m.find()) {
      nets.add(Integer.parseInt(m.group(1)));
    }
    return List.copyOf(nets);
  }

  private static String presetText(String preset) {
    try {
      return Files.readString(
          Path.of(System.getProperty("webinfra.home", "..")).resolve("topologies").resolve(preset));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
