package dev.webinfra.cli;

import dev.webinfra.failover.Promotion;
import dev.webinfra.lab.Lab;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Secrets;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code db ...}: database operations. */
@Command(
    name = "db",
    description = "Database operations.",
    subcommands = {DbCommand.Promote.class, DbCommand.Bootstrap.class})
public final class DbCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code db promote HOST}. */
  @Command(
      name = "promote",
      description =
          "Make a replica the writable primary; refuses if that could lose acknowledged writes.")
  public static final class Promote implements Callable<Integer> {
    @Mixin LabOption lab;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(
        names = "--force",
        description =
            "Promote a replica whose replication is broken, after saying what that may lose.")
    boolean force;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Lab l = lab.open("db promote", out);
      Operator.record(l, host, "OperatorPromote", "webinfra db promote " + host);
      Promotion p =
          new Promotion(
              l.topology(),
              l.driver(),
              l.runner(),
              new LabState(l.layout()),
              new Secrets(l.layout().secretsDir()),
              Poll.system(),
              line -> {
                out.println(line);
                out.flush();
              });
      // The controller would see the apps' config change as trouble and race this command.
      l.controller().paused(() -> p.promote(host, force));
      return 0;
    }
  }

  /** {@code db bootstrap HOST [--force]}. */
  @Command(
      name = "bootstrap",
      description =
          "Start the Galera cluster again after every member died. Only the most advanced member"
              + " bootstraps; --force bootstraps HOST anyway and says what that may lose.")
  public static final class Bootstrap implements Callable<Integer> {
    @Mixin LabOption lab;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(
        names = "--force",
        description =
            "Bootstrap HOST even if another member may be more advanced: its newer writes are"
                + " lost.")
    boolean force;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Lab l = lab.open("db bootstrap", spec.commandLine().getOut());
      Operator.record(
          l,
          host,
          "OperatorBootstrap",
          "webinfra db bootstrap " + host + (force ? " --force" : ""));
      l.controller().paused(() -> l.bootstrapGalera(host, force, Home.appJar()));
      return 0;
    }
  }
}
