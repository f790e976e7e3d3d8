package dev.webinfra.diagram;

import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a topology as Graphviz DOT, the way the reference documents draw it: the client and DNS,
 * the load balancers with their floating IP, each server with its components, replication arrows,
 * firewalls and monitoring agents, and each network as a group. Pure and deterministic.
 */
public final class DotRenderer {
  private DotRenderer() {}

  /** The DOT source. */
  public static String render(Topology t) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph webinfra {\n")
        .append(
            "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=16, labelloc=t, nodesep=0.35,"
                + " ranksep=1.0, pad=0.3,\n")
        .append("         label=<<B>")
        .append(t.siteFqdns().get(0))
        .append("</B>  (lab ")
        .append(t.lab())
        .append(", ")
        .append(t.source().replaceAll(".*/", ""))
        .append(")>];\n")
        .append("  node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (Network n : t.networks()) {
      sb.append("\n  subgraph cluster_")
          .append(n.name())
          .append(" {\n")
          .append("    label=\"network ")
          .append(n.name())
          .append("  ")
          .append(n.cidr())
          .append("\";\n")
          .append("    style=\"rounded,dashed\"; color=\"")
          .append(n.name().equals("public") ? "#3b7dd8" : "#6a9a3a")
          .append("\"; fontcolor=\"#444444\";\n");
      if (t.vip().isPresent() && t.vip().get().network().equals(n.name())) {
        sb.append(
                "    vip [shape=ellipse, style=filled, fillcolor=\"#ffd54f\", fontsize=11,"
                    + " label=\"floating IP\\n")
            .append(t.vip().get().address())
            .append("\\n(VRRP, keepalived)\"];\n");
      }
      for (Host h : t.hosts()) {
        if (h.attachments().get(0).network().equals(n.name())) {
          sb.append("    ").append(id(h)).append(" [label=<").append(label(t, h)).append(">];\n");
        }
      }
      sb.append("  }\n");
    }
    sb.append("\n");
    edges(t, sb);
    sb.append("}\n");
    return sb.toString();
  }

  private static String id(Host h) {
    return "\"" + h.name() + "\"";
  }

  private static String label(Topology t, Host h) {
    boolean backup = h.has(Role.WEB) && h.settings().web().backup();
    String head =
        h.has(Role.CLIENT)
            ? "#e3f2fd"
            : h.has(Role.LB) ? "#fff3e0" : h.has(Role.WEB) ? "#e8f5e9" : "#f3e5f5";
    StringBuilder sb =
        new StringBuilder(
            "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\""
                + " COLOR=\"#555555\">");
    sb.append("<TR><TD BGCOLOR=\"")
        .append(head)
        .append("\"><B>")
        .append(h.name())
        .append("</B>")
        .append(backup ? " (passive backup)" : "")
        .append("<BR/><FONT POINT-SIZE=\"9\">")
        .append(
            String.join(" ", h.attachments().stream().map(a -> a.address().toString()).toList()))
        .append("</FONT></TD></TR>");
    for (String c : components(t, h)) {
      sb.append("<TR><TD ALIGN=\"LEFT\">").append(c).append("</TD></TR>");
    }
    if (!h.has(Role.CLIENT)) {
      boolean fw = h.settings().firewall().enabled();
      boolean agent = h.settings().monitoring().agent();
      sb.append("<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"")
          .append(fw ? "#ffebee" : "#eeeeee")
          .append("\"><FONT POINT-SIZE=\"9\">")
          .append(fw ? "firewall: inbound dropped by default" : "no firewall")
          .append("</FONT></TD></TR>");
      sb.append("<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"")
          .append(agent ? "#e0f7fa" : "#eeeeee")
          .append("\"><FONT POINT-SIZE=\"9\">")
          .append(agent ? "monitoring agent" : "no monitoring agent")
          .append("</FONT></TD></TR>");
    }
    return sb.append("</TABLE>").toString();
  }

  private static List<String> components(Topology t, Host h) {
    List<String> out = new ArrayList<>();
    Database db = t.database();
    boolean tls = t.tls().enabled();
    if (h.has(Role.CLIENT)) {
      out.add("client (browser, curl)");
    }
    if (h.has(Role.DNS)) {
      out.add("DNS (dnsmasq): " + t.siteFqdns().get(0) + " -&gt; " + t.siteAddress());
    }
    if (h.has(Role.LB)) {
      out.add("load balancer (HAProxy) :80" + (tls ? " :443 TLS" : "") + ", roundrobin");
      if (t.vip().isPresent()) {
        out.add("keepalived (VRRP), priority " + (150 - 10 * t.hostsWith(Role.LB).indexOf(h)));
      }
    }
    if (h.has(Role.WEB)) {
      out.add(
          "web server (nginx) :"
              + NginxRenderer.port(t, h)
              + (tls && t.tls().backend() ? " TLS" : ""));
    }
    if (h.has(Role.APP)) {
      out.add(
          "application server "
              + dev.webinfra.render.app.AppUnit.label(h)
              + " :"
              + h.settings().app().port());
    }
    if (h.has(Role.DB)) {
      String part;
      if (db.members().contains(h.name())) {
        part = "Galera member, writable";
      } else if (db.primary().filter(h.name()::equals).isPresent()) {
        part = db.kind() == Database.Kind.SINGLE ? "single server" : "primary, writable";
      } else if (db.replicas().contains(h.name())) {
        part = "replica of " + db.replicationSource().orElse("?") + ", read-only";
      } else {
        part = "unplaced";
      }
      out.add("database (MariaDB): " + part);
    }
    if (h.has(Role.ARBITRATOR)) {
      out.add("arbitrator (garbd): a quorum vote");
    }
    if (h.has(Role.MONITOR)) {
      out.add("monitoring server (Prometheus)");
    }
    return out;
  }

  private static void edges(Topology t, StringBuilder sb) {
    String proto = t.tls().enabled() ? "HTTPS :443" : "HTTP :80";
    List<Host> lbs = t.hostsWith(Role.LB);
    List<Host> webs = t.hostsWith(Role.WEB);
    for (Host c : t.hostsWith(Role.CLIENT)) {
      for (Host d : t.hostsWith(Role.DNS)) {
        if (d.sharesNetworkWith(c)) {
          sb.append("  ")
              .append(id(c))
              .append(" -> ")
              .append(id(d))
              .append(" [label=\"DNS :53\", style=dashed, color=\"#777777\"];\n");
        }
      }
      String front = t.vip().isPresent() ? "vip" : id(lbs.isEmpty() ? webs.get(0) : lbs.get(0));
      sb.append("  ")
          .append(id(c))
          .append(" -> ")
          .append(front)
          .append(" [label=\"")
          .append(proto)
          .append("\", penwidth=2];\n");
    }
    if (t.vip().isPresent()) {
      for (int i = 0; i < lbs.size(); i++) {
        sb.append("  vip -> ")
            .append(id(lbs.get(i)))
            .append(
                i == 0
                    ? " [label=\"active\", penwidth=2];\n"
                    : " [label=\"passive (takes over)\", style=dashed];\n");
      }
      for (int i = 1; i < lbs.size(); i++) {
        sb.append("  ")
            .append(id(lbs.get(0)))
            .append(" -> ")
            .append(id(lbs.get(i)))
            .append(
                " [label=\"VRRP adverts\", dir=both, style=dotted, color=\"#b08900\","
                    + " constraint=false];\n");
      }
    }
    String back =
        t.tls().enabled() && t.tls().backend()
            ? "HTTPS :443"
            : "HTTP :" + (webs.isEmpty() ? 80 : webs.get(0).settings().web().port());
    for (Host lb : lbs) {
      for (Host w : webs) {
        boolean backup = w.settings().web().backup();
        sb.append("  ")
            .append(id(lb))
            .append(" -> ")
            .append(id(w))
            .append(
                backup
                    ? " [label=\"backup " + back + "\", style=dashed, color=\"#999999\"];\n"
                    : " [label=\"" + back + "\"];\n");
      }
    }
    Database db = t.database();
    for (int i = 0; i < db.members().size(); i++) {
      for (int j = i + 1; j < db.members().size(); j++) {
        sb.append("  \"")
            .append(db.members().get(i))
            .append("\" -> \"")
            .append(db.members().get(j))
            .append(
                "\" [label=\"Galera synchronous replication\", dir=both, color=\"#2e7d32\","
                    + " penwidth=2, constraint=false];\n");
      }
    }
    db.arbitrator()
        .ifPresent(
            a ->
                db.members()
                    .forEach(
                        m ->
                            sb.append("  \"")
                                .append(a)
                                .append("\" -> \"")
                                .append(m)
                                .append(
                                    "\" [label=\"quorum vote\", dir=none, style=dotted,"
                                        + " color=\"#2e7d32\"];\n")));
    db.replicationSource()
        .ifPresent(
            src -> {
              String kind =
                  db.kind() == Database.Kind.PRIMARY_REPLICA && db.semiSync()
                      ? "semi-sync replication"
                      : "async replication";
              for (String r : db.replicas()) {
                sb.append("  \"")
                    .append(src)
                    .append("\" -> \"")
                    .append(r)
                    .append("\" [label=\"")
                    .append(kind)
                    .append(" (GTID)\", color=\"#c62828\", penwidth=2, constraint=false];\n");
              }
            });
  }
}
