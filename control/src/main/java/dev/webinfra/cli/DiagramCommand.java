package dev.webinfra.cli;

import dev.webinfra.diagram.DotRenderer;
import dev.webinfra.diagram.Graphviz;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diagram TOPOLOGY -o FILE}: draws the infrastructure as SVG, PNG or DOT. */
@Command(
    name = "diagram",
    description =
        "Draw a topology: hosts and their components, the floating IP, replication, networks.")
public final class DiagramCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin DesignSource design;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "FILE.svg, FILE.png or FILE.dot")
  Path output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Graphviz.write(DotRenderer.render(design.load()), output);
    spec.commandLine().getOut().println("diagram: wrote " + output);
    return 0;
  }
}
