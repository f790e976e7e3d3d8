package dev.webinfra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.webinfra.lab.LabDrivers;
import java.util.List;

/**
 * The layers of the control plane point one way: topology, then the host boundary, daemon units and
 * renderers, the lab driver, the plan, the checks, the services, the controller and the CLI. A
 * class may use its own layer and those below it, and no two top-level packages use each other,
 * however indirectly. Both rules read the compiled main classes, so a call spelled with a fully
 * qualified name counts like an imported one.
 */
@AnalyzeClasses(packages = "dev.webinfra", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /**
   * Dependencies known to break the rules, each naming its origin and target class, and removed
   * here when the code stops needing them: none today (topology's certificate check moved down to
   * {@code x509}). A new one fails the build.
   */
  static final List<Known> KNOWN = List.of();

  /** One known dependency that breaks the rules. */
  record Known(String origin, String target) {}

  /**
   * The layers, lowest first. The host boundary ({@code host}: the driver interface, paths,
   * results) sits under the daemon units that use it; the lab driver ({@code host.lab}) sits above
   * them, since it will supervise their services, and under the plan, which reads what it finds.
   */
  static final List<Layer> LAYERS =
      List.of(
          new Layer("core", "dev.webinfra", "dev.webinfra.wait..", "dev.webinfra.events.."),
          new Layer("x509", "dev.webinfra.x509.."),
          new Layer("witness", "dev.webinfra.witness.."),
          new Layer("topology", "dev.webinfra.topology.."),
          new Layer("host boundary", "dev.webinfra.host"),
          new Layer("daemon", "dev.webinfra.daemon.."),
          new Layer("renderers", "dev.webinfra.render..", "dev.webinfra.diagram.."),
          new Layer("drivers", "dev.webinfra.host.lab..", "dev.webinfra.host.ssh.."),
          new Layer("plan", "dev.webinfra.plan.."),
          new Layer("analysis", "dev.webinfra.analysis.."),
          new Layer("tls", "dev.webinfra.tls.."),
          new Layer(
              "services",
              "dev.webinfra.site..",
              "dev.webinfra.database..",
              "dev.webinfra.apply..",
              "dev.webinfra.deploy..",
              "dev.webinfra.status..",
              "dev.webinfra.lab..",
              "dev.webinfra.dashboard..",
              "dev.webinfra.setup..",
              "dev.webinfra.failover..",
              "dev.webinfra.load..",
              "dev.webinfra.testbed.."),
          new Layer("controller", "dev.webinfra.controller.."),
          new Layer("chaos", "dev.webinfra.chaos.."),
          new Layer("cli", "dev.webinfra.cli.."));

  /** One layer: its name and the packages it holds. */
  record Layer(String name, String... packages) {}

  @ArchTest static final ArchRule layersPointDown = ignoringKnown(layers());

  @ArchTest static final ArchRule noPackageCycles = ignoringKnown(topLevelPackagesFreeOfCycles());

  /**
   * Nothing names the lab driver but the driver itself and the one class that picks it, {@code
   * LabDrivers}; every other class, the rest of {@code lab} included, takes a {@code HostDriver}, a
   * {@code SiteLayout}, a {@code SiteFabric} and a {@code Supervisor} from there.
   */
  @ArchTest
  static final ArchRule onlyOnePlacePicksTheDriver =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.webinfra.host.lab..")
          .and()
          .doNotHaveFullyQualifiedName(LabDrivers.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.webinfra.host.lab..")
          .as(
              "nothing outside host.lab but lab.LabDrivers (the one place that picks the driver)"
                  + " uses host.lab");

  /** Nor does anything name the servers' driver, but the driver itself and {@code LabDrivers}. */
  @ArchTest
  static final ArchRule onlyOnePlacePicksTheServersDriver =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.webinfra.host.ssh..")
          .and()
          .doNotHaveFullyQualifiedName(LabDrivers.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.webinfra.host.ssh..")
          .as(
              "nothing outside host.ssh but lab.LabDrivers (the one place that picks the driver)"
                  + " uses host.ssh");

  static LayeredArchitecture layers() {
    LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Layer l : LAYERS) {
      rule = rule.layer(l.name()).definedBy(l.packages());
    }
    for (int i = 1; i < LAYERS.size(); i++) {
      String[] below = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
      rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyAccessLayers(below);
    }
    return rule.whereLayer(LAYERS.get(0).name()).mayNotAccessAnyLayer();
  }

  /** Slices by top-level package under {@code dev.webinfra}; each driver is a slice apart. */
  static com.tngtech.archunit.library.dependencies.SliceRule topLevelPackagesFreeOfCycles() {
    return slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String rest = c.getPackageName().replaceFirst("^dev\\.webinfra\\.?", "");
                if (rest.isEmpty() || !c.getPackageName().startsWith("dev.webinfra")) {
                  return SliceIdentifier.ignore();
                }
                for (String driver : List.of("host.lab", "host.ssh")) {
                  if (rest.equals(driver) || rest.startsWith(driver + ".")) {
                    return SliceIdentifier.of(driver);
                  }
                }
                return SliceIdentifier.of(rest.split("\\.")[0]);
              }

              @Override
              public String getDescription() {
                return "top-level packages of dev.webinfra (the drivers host.lab and host.ssh apart"
                    + " from host)";
              }
            })
        .should()
        .beFreeOfCycles();
  }

  private static ArchRule ignoringKnown(LayeredArchitecture rule) {
    for (Known k : KNOWN) {
      rule = rule.ignoreDependency(k.origin(), k.target());
    }
    return rule;
  }

  private static ArchRule ignoringKnown(com.tngtech.archunit.library.dependencies.SliceRule rule) {
    for (Known k : KNOWN) {
      rule = rule.ignoreDependency(k.origin(), k.target());
    }
    return rule;
  }
}
