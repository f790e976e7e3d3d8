package dev.webinfra.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An IT class whose tests run on one lab of {@link LabRanges}, brought up before the first test
 * (the class skips, with the reason, where a lab cannot run) and taken down after the last if
 * anything of it is left. A {@code @BeforeAll} or test method gets it as a {@link LabFixture}
 * parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LabExtension.class)
public @interface LabTest {
  /** The lab's name in {@link LabRanges#LABS}. */
  String value();

  /** Whether a lab of that name, left by an earlier run, is taken down before the up. */
  boolean downFirst() default false;

  /**
   * Whether the class wants a lab that no earlier class touched: a shared lab that an earlier class
   * of its stream used is taken down and brought up anew.
   */
  boolean fresh() default false;
}
