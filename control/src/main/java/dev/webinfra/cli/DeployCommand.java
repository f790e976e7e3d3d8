package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.deploy.Deployer;
import dev.webinfra.lab.Lab;
import dev.webinfra.topology.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deploy [ARTIFACT]}: a rolling deploy of the app tier with health-gated return. */
@Command(
    name = "deploy",
    description =
        "Roll a new version of the app onto the app servers one at a time: drain on every load"
            + " balancer, graceful stop, start, health-gated return. A failed health check puts"
            + " the old version back and stops the deploy.")
public final class DeployCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ARTIFACT",
      description =
          "A jar, or for a command app (app.command) a codebase directory or a tarball of one."
              + " Default: what the topology names (app.jar or app.dir), or for our guestbook the"
              + " current build.")
  Path artifact;

  @Option(
      names = "--rollback",
      description =
          "Put back the release before the current one, with the same drain and health checks.")
  boolean rollback;

  @Option(
      names = "--health-timeout",
      paramLabel = "DURATION",
      description =
          "How long each new version has to pass every load balancer's health check before it is"
              + " rolled back (default: 30s), e.g. 10s, 2m.")
  String healthTimeout;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Checked before anything is recorded or touched.
    Duration healthy =
        healthTimeout == null
            ? Deployer.HEALTHY
            : Durations.parse("deploy: --health-timeout", healthTimeout);
    if (healthy.isZero()) {
      throw WebinfraException.invalidInput(
          "deploy: --health-timeout: 0 leaves a new version no time to become healthy");
    }
    if (rollback && artifact != null) {
      throw WebinfraException.invalidInput(
          "deploy: --rollback puts back the release before the current one; give no ARTIFACT");
    }
    Lab l = lab.open("deploy", spec.commandLine().getOut());
    Operator.record(
        l,
        "lab",
        "OperatorDeploy",
        "webinfra deploy"
            + (rollback ? " --rollback" : "")
            + (artifact == null ? "" : " " + artifact));
    // The controller would restart an app the deploy stopped on purpose.
    l.controller()
        .paused(
            () ->
                l.deploy(
                    artifact == null ? null : artifact.toAbsolutePath(),
                    Home.appJar(),
                    healthy,
                    rollback));
    return 0;
  }
}
