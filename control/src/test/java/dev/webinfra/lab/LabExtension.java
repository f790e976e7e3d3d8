package dev.webinfra.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** Brings up the lab of a {@link LabTest} class once, hands it to its methods, and closes it. */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LabExtension.class);

  /** The store's hold on a fixture: JUnit closes it after the class's {@code @AfterAll}. */
  private record Held(LabFixture lab) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      lab.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LabTest spec =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LabTest.class)
            .orElseThrow();
    LabFixture.assumeLabCanRun();
    LabFixture lab = LabRanges.fixture(spec.value());
    // Held before the up: a failed up still leaves what it made to close().
    context.getStore(NS).put(LabFixture.class, new Held(lab));
    if (spec.downFirst()) {
      lab.down();
    }
    lab.up();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LabFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NS).get(LabFixture.class, Held.class).lab();
  }
}
