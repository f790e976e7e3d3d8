package dev.webinfra.lanes;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Runs a lane's classes in the order {@link Lanes} lists them. */
public final class LaneOrder implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(Comparator.comparingInt(d -> Lanes.position(d.getTestClass().getName())));
  }
}
